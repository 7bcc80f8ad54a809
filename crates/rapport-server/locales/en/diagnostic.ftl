# diagnostic (en)
# The twenty questions: seed 002's words, character for character
# (checked against tests/fixtures/diagnostic_questions_seed_002.txt).
diagnostic-q-q1 = Have you clearly articulated the experience you want your customers to receive, in a way that all employees can understand?
diagnostic-q-q2 = Are you hiring for the best basic customer service traits, such as warmth, empathy, optimism, detail-orientation, and teamwork?
diagnostic-q-q3 = Are you recruiting new customer-facing employees with the skills and abilities to deliver the customer experience you want?
diagnostic-q-q4 = Have you profiled your existing successful customer-facing employees to identify traits that work in your organization?
diagnostic-q-q5 = If given the choice to steal something from your organization, would your competitors choose your people?
diagnostic-q-q6 = Do your processes give employees enough time to listen to, diagnose, and solve individual customer problems?
diagnostic-q-q7 = Can a customer press 0 at any time within your interactive voice response (IVR) system to talk to a customer service representative?
diagnostic-q-q8 = Do your customer-facing systems pass the necessary customer information and data from touchpoint to touchpoint so that an ongoing customer dialogue can be maintained throughout the customer journey?
diagnostic-q-q9 = Do you have a good selection of leading and lagging customer-performance metrics regarding the use of your process and technology?
diagnostic-q-q10 = Are all your key customer-facing processes mobile enabled?
diagnostic-q-q11 = Do you know what your customers’ expectations are of your service, product, and brand?
diagnostic-q-q12 = Do you proactively solicit customer feedback at your key customer touchpoints?
diagnostic-q-q13 = Do you immediately respond to customer complaints and concerns, no matter what channel is used to communicate with you?
diagnostic-q-q14 = Have you mapped all your customer touchpoints?
diagnostic-q-q15 = Do you know who “owns” each customer touchpoint within your organization — who is accountable and responsible for improving it?
diagnostic-q-q16 = Have you created a list of “perfect” customer behaviors?
diagnostic-q-q17 = Have you worked with your CFO or financial team to identify elements of your return on customer experience (ROCE) model?
diagnostic-q-q18 = Do you know all the costs associated with poor service in your organization — for example, customer defection, churn, buy-backs, cancellations, and non-renewals?
diagnostic-q-q19 = Have you calculated the cost to acquire a new customer versus the cost to retain an existing one?
diagnostic-q-q20 = Have you determined what percentage of customer defection is for price-related issues versus service-related issues?

diagnostic-title = Diagnostic
diagnostic-intro = The twenty questions to begin your own customer experience diagnostic, in four areas of five. Several people answer each from 1 (not at all) to 5 (fully); repeat it every quarter to see the trend.
diagnostic-area-personnel = Personnel
diagnostic-area-processes_technology = Processes and technology
diagnostic-area-customers = Customers
diagnostic-area-financials = Financials
diagnostic-rounds = Rounds
diagnostic-none = No round yet: open the first one below.
diagnostic-new-round = Open a round
diagnostic-field-name = Name
diagnostic-field-name-hint = For example “Q1 2026”.
diagnostic-field-opened-on = Opened on
diagnostic-open-round = Open the round
diagnostic-round = Round
diagnostic-overall = Overall
diagnostic-answerers = { $n ->
    [one] 1 answerer
   *[other] { $n } answerers
}
diagnostic-status-open = Open
diagnostic-status-closed = Closed
diagnostic-trend = Trend
diagnostic-trend-chart = Mean score per area and overall, round by round, on the 1 to 5 scale.
diagnostic-trend-needs-two = The trend shows once two rounds have answers.
diagnostic-delta = Change since the previous round
diagnostic-no-delta = First round
diagnostic-answer = Answer
diagnostic-results = Results
diagnostic-print = Printable report
diagnostic-print-hint = Use your browser’s Print command to print or save this report as PDF.
diagnostic-close = Close the round
diagnostic-close-hint = Closing freezes every answer; nobody can change them afterwards.
diagnostic-closed-note = This round is closed: its answers are frozen.
diagnostic-scale-1 = Not at all
diagnostic-scale-2 = A little
diagnostic-scale-3 = Partly
diagnostic-scale-4 = Mostly
diagnostic-scale-5 = Fully
diagnostic-scale = Your score, 1 to 5
diagnostic-comment = Comment (optional)
diagnostic-submit = Save my answers
diagnostic-saved = Your answers are saved; you can change them until the round is closed.
diagnostic-answer-intro = Score each question from 1 (not at all) to 5 (fully). You can save some now and the rest later.
diagnostic-answer-as = Answering as { $name }.
diagnostic-no-person = Your account is not linked to a person of the organization, so you cannot answer; ask an admin to link it.
diagnostic-mean = Mean
diagnostic-percent = Percent of the maximum
diagnostic-percent-note = Scores are means on the 1 to 5 scale; the percent is the mean as a share of the maximum, mean ÷ 5 × 100. An area’s mean is the mean of its questions’ means; the overall is the mean of the areas’.
diagnostic-spread = Spread between answerers
diagnostic-sd = SD { $sd }
diagnostic-range = range { $min }–{ $max }
diagnostic-answered = { $n ->
    [one] 1 answer
   *[other] { $n } answers
}
diagnostic-disagree = Answerers disagree
diagnostic-disagree-note = Flagged where answers span 2 points or more: worth a conversation.
diagnostic-not-answered = Not answered yet
diagnostic-comments = Comments
diagnostic-evidence = What Rapport holds
diagnostic-evidence-see = See the figures
diagnostic-signal-strong = In place
diagnostic-signal-partial = Under way
diagnostic-signal-weak = Missing
diagnostic-evidence-listening = { $heard } of { $touchpoints } touchpoints have a listening post ({ $percent }%).
diagnostic-evidence-listening-empty = No touchpoint on the journey map yet, so nowhere to listen.
diagnostic-evidence-journey = { $touchpoints } touchpoints on the journey map; { $gaps } with no listening post.
diagnostic-evidence-journey-empty = The journey map has no touchpoint yet.
diagnostic-evidence-promise = { $percent }% of { $decided } cases answered within the first-response promise in the last 90 days; weakest channel: { $channel } at { $worst }%.
diagnostic-evidence-promise-none = No case’s first-response promise was due in the last 90 days.
diagnostic-evidence-ownership = { $owned } of { $touchpoints } touchpoints have an active owner ({ $percent }%).
diagnostic-evidence-ownership-empty = No touchpoint to own yet: map the journey first.
diagnostic-evidence-behaviours = { $count } perfect customer behaviours defined.
diagnostic-evidence-behaviours-none = No perfect customer behaviour defined yet.
diagnostic-evidence-roce-inputs = The ROCE model uses your leaders’ own financial inputs.
diagnostic-evidence-roce-defaults = The ROCE model still uses default figures: set your own inputs with your finance team.
diagnostic-evidence-roce-cost = Cost of poor service in the ROCE model: { $amount } a year.
diagnostic-evidence-roce-acquisition = Acquiring a customer costs { $ratio } times as much as retaining one.
diagnostic-evidence-roce-defection = Of defections with a known reason: { $price }% price, { $service }% service.
diagnostic-evidence-roce-defection-none = No reasons for defection recorded yet.
diagnostic-error-closed = The round is closed: its answers are frozen.
