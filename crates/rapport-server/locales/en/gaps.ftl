# gaps (en) — F3. Gap analysis
gaps-title = Gap analysis
gaps-page-title = Gap analysis · { $experience }
gaps-intro = Each key interaction against the intent criteria and the goal that apply there, beside what customers say matters, ranked by the size of the gap weighted by importance.
gaps-window = Last 30 days: { $from } – { $to }
gaps-everyone = All customers
gaps-for-segment = Segment: { $segment }
gaps-experience = Experience
gaps-segment = Segment
gaps-show = Show
gaps-no-experience = There is no experience yet. Create one, add its key interactions and intent criteria, and its gaps appear here.
gaps-ranked = Gaps, largest first
gaps-open-count = { $count ->
    [0] No open gap
    [one] 1 open gap
   *[other] { $count } open gaps
}
gaps-how = Gap = how far the value is short of the target, as a % of the metric's range. Weight = stated importance ÷ 5, derived importance ÷ the strongest driver's, or their mean when both are known (0.6 when neither is). Weighted gap = gap × weight.
gaps-no-derived = No key-driver refit has derived importance for this experience and segment yet: stated importance only.
gaps-touchpoint = Touchpoint
gaps-metric = Metric
gaps-actual = Actual
gaps-target = Target
gaps-n = Answers
gaps-stated = Stated importance
gaps-derived = Derived importance
gaps-gap = Gap
gaps-weighted = Weighted gap
gaps-actions = Act
gaps-short-by = short by { $shortfall }
gaps-status-met = Met
gaps-status-at_risk = Met, at risk
gaps-status-missed = Missed
gaps-status-insufficient = Not enough data
gaps-source-touchpoint = touchpoint criterion
gaps-source-experience = experience criterion
gaps-source-organization = organization criterion
gaps-source-goal = experience goal
gaps-basis-stated = stated
gaps-basis-derived = derived
gaps-basis-both = stated and derived
gaps-basis-default = no importance given
gaps-make-idea = Make it an idea
gaps-start-sprint = Start a sprint
gaps-idea-link = Idea #{ $id }
gaps-sprint-link = Sprint #{ $id }
gaps-empty = No target applies to this experience's touchpoints yet: add intent criteria or a goal.
gaps-insufficient = Not enough data
gaps-insufficient-note = Fewer than 30 answers in the last 30 days: these are not ranked, and not counted as met.
gaps-refused = That gap cannot become work:
gaps-idea-title = Close the gap at { $touchpoint }: { $metric } { $value } against a target of { $comparator } { $threshold } ({ $segment })
gaps-idea-body = From the gap analysis of { $experience } ({ $segment }), { $from } – { $to }: at { $touchpoint }, { $metric } is { $value } on { $n } answers, against a target of { $comparator } { $threshold }. Gap: { $gap }% of the metric's range; weighted by importance: { $weighted }. See { $link }.
gaps-sprint-name = { $touchpoint }: { $metric } to { $comparator } { $threshold }
