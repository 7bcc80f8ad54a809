# Recognition (E. People)
nav-recognition = Recognition
notification-kind-kudos = Kudos for you or your team

recognition-title = Recognition
recognition-intro = Thank the people and teams who made a customer’s day, and show what they did: a customer’s comment, a case the customer agreed was solved, a sprint that improved a touchpoint.
recognition-leaders-title = Who leads
recognition-performance-title = Numbers and outcomes
recognition-engagement-link = Ideas and participation
recognition-leaders-intro = The people whose ideas were implemented, who led a sprint whose outcome improved, and who received kudos; and the same per department and month.
recognition-leaders-people = People
recognition-leaders-empty = Nobody yet: implemented ideas, improved sprints and kudos will show here.
recognition-person = Person
recognition-ideas-implemented = Ideas implemented
recognition-sprints-improved = Sprints improved
recognition-total = Total
recognition-trend-title = Per department and month

kudos-give-title = Give kudos
kudos-to-hint = To one person, or to a whole team (a department): choose one of the two.
kudos-field-person = Person
kudos-field-team = Team (department)
kudos-field-department = Department
kudos-field-reason = What they did
kudos-reason-hint = Be specific: what happened, for which customer, and why it mattered (up to 1,000 characters).
kudos-evidence = Evidence
kudos-evidence-pick = Pick a recent item
kudos-evidence-kind = Or name it: kind
kudos-evidence-id = Its number
kudos-evidence-response = Customer response
kudos-evidence-case = Case closed with the customer’s agreement
kudos-evidence-sprint = Sprint that improved its touchpoint
kudos-submit = Give kudos
kudos-suggestions-title = Evidence you could recognise
kudos-suggestions-hint = Recent comments from promoters or WOW moments that name one of your colleagues.
kudos-see-response = See the response
kudos-filter = Filter
kudos-any-department = Any department
kudos-feed-title = Recent kudos
kudos-line = { $giver } → { $recipient }
kudos-team = Team
kudos-older = Older kudos
kudos-empty = No kudos yet.
kudos-summary-title = Monthly summary per department
kudos-month = Month
kudos-received = Received
kudos-given = Given
kudos-no-department = No department

performance-intro = Each agent’s operational figures beside the customer outcomes of their work. People in the fastest quarter who are also in the worst quarter on outcomes are flagged: they may be making their numbers at the customer’s expense. Visible to leaders and administrators only.
performance-rules = Outcomes are the answers of a case’s customer within { $window } days after its close. Nobody is flagged with fewer than { $cases } closed cases or { $responses } outcome answers, nor when fewer than { $agents } agents qualify.
performance-period = Period
performance-period-hint = A month (2026-11) or a quarter (2026-Q4).
performance-show = Show
performance-period-title = Period { $period }
performance-flagged-count = { $count ->
    [one] One person flagged.
   *[other] { $count } people flagged.
}
performance-agent = Agent
performance-status = Status
performance-cases = Cases closed
performance-hours = Median hours to close
performance-promises = Promises kept
performance-kept = first response { $first }/{ $n }, resolution { $resolution }/{ $n }
performance-outcome = Net outcome
performance-nps = NPS
performance-csat = CSAT satisfied
performance-reopened = Reopened
performance-complaints = Complaints naming them
performance-fast = fastest quarter
performance-poor = worst quarter on outcomes
performance-status-flagged = Flagged
performance-status-clear = Not flagged
performance-status-too_few_cases = Too few cases
performance-status-too_few_responses = Too few answers
performance-status-too_few_agents = Too few agents to compare
performance-empty = No case was closed by an agent in this period.

error-kudos_both = Choose a person or a team, not both.
error-kudos_self = Kudos are for someone else.
error-kudos_unknown_person = Choose an active person of your organization.
error-kudos_no_team = Nobody active works in this department.
error-evidence_not_found = There is no such response in your organization.
error-evidence_not_agreed = No case of your organization closed with the customer’s agreement has this number.
error-evidence_not_improved = No sprint of your organization with an improved outcome has this number.
