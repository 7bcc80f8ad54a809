# Rapport, English catalogue. Keys are shared with es.ftl; a test keeps them in step.
lang-name = English
app-name = Rapport

## Layout
lang-name-en = English
lang-name-es = Español
lang-short-en = EN
lang-short-es = ES
language-label = Language
skip-to-content = Skip to content
nav-menu = Menu
nav-label = Main
nav-home = Home
nav-experiences = Experiences
nav-journey = Journey map
nav-people = People
nav-segments = Segments
nav-coverage = Coverage
nav-intent = Intent
sign-out = Sign out
footer-tagline = Rapport · plan, own, listen, measure, act, improve
footer-signed-in-as = Signed in as { $email } ({ $role })

## Roles
role-admin = admin
role-leader = leader
role-owner = owner
role-agent = agent
role-member = member
role-viewer = viewer

## Months, for dates
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec

## Common actions and form words
action-save = Save
action-cancel = Cancel
action-edit = Edit
action-delete = Delete…
action-confirm-delete = Yes, delete
action-open = Open
form-optional = (optional)
form-choose = Choose…
form-has-errors = Some fields need attention. Nothing was saved.
table-actions = Actions
field-name = Name
field-email = E-mail
field-department = Department
field-job-role = Job title
field-job-role-hint = For example “Store manager”. Not the sign-in role.
field-joined-on = Joined on
field-description = Description
field-position = Position
field-goal-metric = Metric
field-goal-target = Target
field-goal-target-hint = NPS from −100 to 100, CES from 1 to 7, the rest in %.
field-goal-period = Period

## Success notes after a change
flash-saved = Saved.
flash-created = Created.
flash-deleted = Deleted.
flash-handed-over = Handed over. Everything this person led or owned now has an active owner.
flash-deactivated = Marked as left. What they led or owned is flagged until it is handed over.
flash-reactivated = Active again.
flash-published = New version of the intent statement published.
flash-added = Interaction added.
flash-removed = Interaction removed. It stays in the history.

## Field errors, by code
error-required = This field is required.
error-too_long = This is too long.
error-invalid_email = Enter an e-mail address, like ana@example.com.
error-unknown_id = That choice does not exist (any more).
error-out_of_range = This value is outside the allowed range.
error-duplicate = This is already on the list.
error-taken = This is already in use.
error-too_many = There are too many rows.
error-invalid_type = This value has the wrong format.
error-invalid_slug = Use 2 to 40 lower-case letters, digits or hyphens.
error-in_use = Still in use: hand over or move what depends on it first.
error-person_left = That person has left; choose someone active.
error-same_person = Choose someone else.
error-not_a_number = Enter a number.
error-invalid_date = Enter a valid date.
error-invalid = This value is not valid.

## Error pages
error-page-home = Go to the home page
error-page-title-400 = This request could not be handled
error-page-text-400 = Something in the request was not as expected. Go back and try again.
error-page-title-401 = Please sign in
error-page-text-401 = You need to sign in to see this page.
error-page-title-403 = You don’t have access to this
error-page-text-403 = Your role does not allow this action. Ask an administrator if you need it.
error-page-title-404 = Page not found
error-page-text-404 = There is nothing here. It may have been deleted, or the link is wrong.
error-page-title-409 = This conflicts with existing data
error-page-text-409 = Someone may have changed the same thing. Reload the page and try again.
error-page-title-422 = Some input is not valid
error-page-text-422 = Go back, check the fields and try again.
error-page-title-500 = Something went wrong
error-page-text-500 = An unexpected error happened on our side. It has been logged; please try again in a moment.

## Sign-in
sign-in-title = Sign in
sign-in-intro = Sign in to your organization’s customer experience program.
sign-in-org = Organization
sign-in-org-hint = The short name of your organization, as your administrator gave it to you.
sign-in-password = Password
sign-in-submit = Sign in
sign-in-failed = Those details did not match an account. Check them and try again.
sign-in-demo-title = Demo server
sign-in-demo-text = This server runs with demo data. Sign in with:

## Home
home-title = Overview
mission-title = Mission
mission-empty = No mission statement yet.
mission-edit = Edit the mission
mission-hint = Why the company exists, for its customers. Shown above the intent statement.
intent-current-title = Intent statement
intent-empty = No intent statement has been published yet.
intent-write-first = Write the first one
intent-see-all = All versions
intent-version-line = Version { $version }, published { $date }
intent-version-short = Version { $version }
criterion-not-measured = not yet measured
coverage-goal = goal 100%
coverage-part = { $covered } of { $total } covered
coverage-gaps-link = { $count ->
    [one] See the gap
   *[other] See the { $count } gaps
}
coverage-no-gaps = Everything has an active accountable person.

## People
people-title = People
people-intro = Everyone who leads an experience or owns a touchpoint. When someone leaves, what they held is flagged until it is handed over.
people-new = Add a person
people-active = { $count ->
    [one] Active (1)
   *[other] Active ({ $count })
}
people-former = { $count ->
    [one] Former (1)
   *[other] Former ({ $count })
}
people-former-hint = People who have left. Anything they still hold is a coverage gap.
people-empty = Nobody has been added yet.
people-leads = Leads
people-owns = Owns
people-left-on = Left on
people-hand-over = Hand over
person-active = Active
person-left-on = Left on { $date }
person-left-short = left
person-details = Details
person-accountable-for = Accountable for
person-leads-nothing = No experiences.
person-owns-nothing = No touchpoints.
person-left-uncovered = This person has left: everything below is uncovered until it is handed over.
person-edit-title = Edit { $name }
person-delete-title = Remove from the program
person-delete-question = Remove { $name } for good? Their history in the audit trail stays.
handover-title = Hand over
handover-intro = Move every experience { $name } leads and every touchpoint they own to one active person, in one step.
handover-to = Successor
handover-choose = Choose an active person…
handover-submit = Hand everything over
handover-nothing = Nothing to hand over.
deactivate-title = Mark as left
deactivate-intro = What they lead or own stays assigned to them and shows as a gap until it is handed over.
deactivate-on = Left on
deactivate-submit = Mark as left
reactivate-title = Reactivate
reactivate-intro = The person came back: they become active again, with what they still hold.
reactivate-submit = Reactivate
owner-none = Nobody assigned
owner-left = { $name } (left)
owner-left-hint = This person has left: hand this over.

## Segments
segments-title = Segments
segments-intro = Groups of customers defined by rules over their attributes. Experiences and touchpoint importance refer to them.
segments-new = New segment
segments-empty = No segments yet.
segment-rule = Rule
segment-rule-everyone = Every customer
segment-rule-hint = Up to five conditions on customer attributes. Leave a row empty to skip it.
segment-preview = Matching customers
segment-preview-count = { $matching } of { $total }
segment-preview-no-customers = No customers yet
segment-join-all = and
segment-join-any = or
segment-op-equals = is
segment-op-one_of = is one of
segment-range-between = between { $min } and { $max }
segment-range-min = at least { $min }
segment-range-max = at most { $max }
segment-edit-title = Edit segment { $name }
segment-combine = Customers must match
segment-combine-all = all conditions
segment-combine-any = any condition
segment-attribute = Attribute
segment-attribute-example = e.g. plan
segment-op = Condition
segment-op-name-equals = equals
segment-op-name-one_of = is one of
segment-op-name-range = is in the range
segment-value = Value
segment-value-hint = For “is one of”, separate values with commas.
segment-min = Minimum
segment-max = Maximum
segment-delete-title = Delete this segment
segment-delete-intro = Experiences and touchpoint importances stop referring to it.
segment-delete-question = Delete the segment { $name }?

## Experiences
experiences-title = Experiences
experiences-intro = Each experience plan says who the customer is, the goal as a customer behaviour with a target, who leads it, and its key interactions.
experiences-new = New experience
experiences-empty = No experiences yet.
experience-goal = Goal
experience-goal-hint = A customer behaviour you can measure, with a target and a period.
experience-leader = Leader
experience-leader-none = Nobody yet
experience-segments = Segments
experience-segments-none = No segments chosen.
experience-segments-none-yet = There are no segments yet.
experience-customer = Who the customer is
experience-customer-empty = Not described yet.
experience-customer-hint = In words the whole team shares.
experience-interactions = Key interactions
experience-interactions-intro = The touchpoints of the designed path, in order, each with its owner.
experience-interactions-empty = No key interactions yet.
experience-interaction-count = { $count ->
    [one] 1 key interaction
   *[other] { $count } key interactions
}
experience-see-path = Show on the map
experience-edit-title = Edit { $name }
experience-delete-title = Delete this experience
experience-delete-intro = The plan, its interactions and their history are removed. Touchpoints stay on the map.
experience-delete-question = Delete the experience { $name }?
goal-line = { $metric }: { $target } per { $period }
goal-not-measured = Progress against the goal appears once measurement starts.
interaction-add-title = Add a key interaction
interaction-touchpoint = Touchpoint
interaction-choose = Choose a touchpoint…
interaction-position = Position
interaction-position-hint = Empty: at the end of the path.
interaction-add = Add
interaction-remove = Remove
interaction-remove-hint = Removed interactions stay in the history.
interaction-none-left = Every touchpoint is already a key interaction.
history-title = Interaction history
history-added = Added
history-removed = Removed
history-current = current
history-deleted-touchpoint = (deleted touchpoint)
history-empty = No interactions have been added yet.
plan-link = One-page plan
plan-title = Plan: { $name }
plan-print = Print
plan-kicker = { $org } · experience plan
plan-printed-on = As of { $date }

## Metrics and periods
metric-nps = NPS
metric-csat = CSAT
metric-ces = CES
metric-rating = Rating
metric-repeat_purchase_rate = Repeat purchase rate
metric-referral_rate = Referral rate
metric-positive_feedback_rate = Positive feedback rate
metric-churn_rate = Churn rate
period-month = month
period-quarter = quarter
period-year = year

## Journey map
journey-title = Journey map
journey-intro = The stages of the customer journey and their touchpoints, in the order of the designed path, with channel, department and owner.
journey-highlight = Highlight the path of
journey-highlight-none = No experience
journey-highlight-submit = Show
journey-path-of = Designed path of { $name }
journey-open-experience = Open the experience
journey-clear = Clear the highlight
journey-step = Step { $step } of the designed path
journey-touchpoint-count = { $count ->
    [one] 1 touchpoint
   *[other] { $count } touchpoints
}
journey-stage-empty = No touchpoints in this stage.
journey-empty = The map has no stages yet.
legend-left = left
legend-left-text = the owner has left: hand it over.
legend-none-text = nobody owns it yet.
stages-manage = Manage stages
stages-title = Journey stages
stages-intro = Stages are the columns of the map, from first contact to loyalty. Rename or reorder them here.
stages-empty = No stages yet.
stages-add = Add a stage
stages-add-first = Add the first stage
stages-add-submit = Add stage
stages-name-example = e.g. Discover
stages-position-hint = Without a position, a new stage goes at the end; later stages move along.
stage-delete-question = Delete the stage { $name }?

## Touchpoints
touchpoints-title = Touchpoints
touchpoints-new = New touchpoint
touchpoints-add-here = Add a touchpoint
touchpoint-edit-title = Edit { $name }
touchpoint-stage = Stage
touchpoint-position = Position in the stage
touchpoint-position-hint = Empty: at the end of the stage.
touchpoint-channel = Channel
touchpoint-channel-none = No channel
touchpoint-owner = Owner
touchpoint-owner-none = Nobody yet
touchpoint-importance = Importance per segment
touchpoint-importance-hint = How much this touchpoint matters to each segment, from 1 (little) to 5 (critical).
touchpoint-no-segments = There are no segments yet.
touchpoint-needs-stage = A touchpoint sits on a stage of the journey. Add a stage first.
touchpoint-delete-title = Delete this touchpoint
touchpoint-delete-intro = It leaves the map and the experiences that use it (their history keeps it).
touchpoint-delete-question = Delete the touchpoint { $name }?
importance-unset = Not set
importance-1 = minor
importance-2 = low
importance-3 = medium
importance-4 = high
importance-5 = critical
channel-web = Website
channel-mobile_app = Mobile app
channel-email = E-mail
channel-phone = Phone
channel-chat = Chat
channel-store = Store
channel-field = Field visit
channel-mail = Post

## Coverage
coverage-title = Coverage
coverage-intro = Every experience needs an active leader and every touchpoint an active owner. The goal is 100%.
coverage-overall = Overall
coverage-experiences = Experiences with a leader
coverage-touchpoints = Touchpoints with an owner
coverage-gaps-title = Gaps
gap-what = What
gap-kind = Kind
gap-kind-experience = Experience
gap-kind-touchpoint = Touchpoint
gap-reason = Why
gap-reason-left = { $name } has left
gap-reason-unassigned = Nobody assigned
gap-assign = Assign

## Intent
intent-title = Mission and intent
intent-intro = The intent statement says what the customer experience must achieve, as formal criteria the program monitors. Each change is a new version; earlier ones are kept.
intent-no-criteria = This version has no criteria.
intent-by = by { $who }
intent-current-badge = current
intent-history = Version history
intent-history-empty = No versions yet.
intent-publish-title = Publish a new version
intent-publish-intro = The form starts from the current version. Publishing keeps every earlier version unchanged.
intent-statement = Statement
intent-statement-hint = In plain words, the experience customers should have.
intent-criteria = Criteria
intent-criteria-hint = Up to five: a metric, what it is measured over, at least or at most a threshold, and a margin within which it counts as at risk. Leave a row empty to skip it.
intent-publish-submit = Publish version
criterion-metric = Metric
criterion-scope = Measured over
criterion-comparator = Must be
criterion-threshold = Threshold
criterion-margin-title = At-risk margin
criterion-margin = at risk within { $margin }
criterion-target = Target
criterion-status = Status
criterion-bands-hint = Met when the value clears the threshold by more than the margin, at risk within the margin, missed otherwise.
comparator-at_least = at least
comparator-at_most = at most
scope-organization = The whole organization
scope-experience = Experience: { $name }
scope-touchpoint = Touchpoint: { $name }

## Public survey pages
survey-submit = Send
survey-privacy = Your answers are used only to improve our service.
survey-errors = { $count ->
    [one] One answer needs your attention.
   *[other] { $count } answers need your attention.
}
survey-scale-nps-low = Not at all likely
survey-scale-nps-high = Extremely likely
survey-scale-csat-low = Very dissatisfied
survey-scale-csat-high = Very satisfied
survey-scale-ces-low = Strongly disagree
survey-scale-ces-high = Strongly agree
survey-scale-rating-low = Poor
survey-scale-rating-high = Excellent
survey-msg-title-thanks = Thank you!
survey-msg-text-thanks = Your answers have been received. They help us do better.
survey-msg-title-already = Thanks, you have already answered
survey-msg-text-already = You told us about this recently, so we won’t ask again for now.
survey-msg-title-closed = This survey is closed
survey-msg-text-closed = It no longer accepts answers. Thank you for your interest.
survey-msg-title-link-invalid = This link is not valid
survey-msg-text-link-invalid = The link seems to have been changed or cut short. Open it again from the message you received.
survey-msg-title-link-expired = This link has expired
survey-msg-text-link-expired = The link was valid for a limited time only. Thank you for your interest.
survey-msg-title-rate-limited = Too many attempts
survey-msg-text-rate-limited = Please wait a minute, then send your answers again.

## Customers
nav-surveys = Surveys
nav-listening = Listening
nav-customers = Customers
flash-erased = The customer’s personal data was erased. Their scores remain, anonymously.
customers-title = Customers
customers-intro = Find a customer to see everything they told you and did, across touchpoints.
customers-search-label = External id, name or e-mail
customers-search-placeholder = e.g. cust-42 or ana@example.com
customers-search = Search
customers-external-id = External id
customers-none = No customers match.
customer-details = Details
customer-since = Known since
customer-segments = Segments they match
customer-no-segments = No segment matches this customer.
customer-timeline = Timeline
customer-timeline-empty = No responses or events yet.
timeline-kind-response = Response
timeline-kind-event = Event
timeline-amount = Amount
customer-erase-title = Erase personal data
customer-erase-hint = Removes their name, e-mail, attributes and free-text answers everywhere. Scores and counts are kept without the person.
customer-erase = Erase personal data…
customer-erase-question = Erase every personal detail of { $id }? This cannot be undone.
customer-erase-confirm = Yes, erase for good

## Listening posts
listening-title = Listening posts
listening-intro = Where you hear customers, who governs the response and how fast you promise to answer.
listening-new = New listening post
listening-edit = Edit listening post
listening-channel = Channel
listening-touchpoint = Touchpoint
listening-priority = Priority
listening-priority-field = Priority (1 = nice to have, 5 = critical)
listening-governed-by = Governed by
listening-response-hours = Response time
listening-response-hours-field = Promised response time (working hours)
listening-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
listening-notes = Notes
listening-actions = Actions
listening-delete-question = Delete this listening post?
listening-empty = No listening posts yet.
listening-unheard = Touchpoints nobody listens at
listening-unheard-hint = No listening post covers these touchpoints: customers there go unheard.
listening-unheard-none = Every touchpoint has a listening post.

## Survey builder
surveys-title = Surveys
surveys-intro = Ask customers at each touchpoint, in English and Spanish. Publish a survey to open its public link.
surveys-new = New survey
surveys-import = Import a survey
surveys-empty = No surveys yet.
survey-edit = Edit survey
survey-title-field = Title
survey-status = Status
survey-status-draft = Draft
survey-status-published = Published
survey-status-closed = Closed
survey-public-url = Public link
survey-responses = Responses
survey-publish = Publish
survey-close = Close
survey-delete-question = Delete this survey? Its responses are kept.
survey-link-customer = Customer external id
survey-link-days = Valid for (days)
survey-link-create = Create personal link
survey-link-result = Personal link
survey-title-en = Title (English)
survey-title-es = Title (Spanish)
survey-intro-en = Introduction (English)
survey-intro-es = Introduction (Spanish)
survey-fatigue = Don’t ask the same customer again within (days)
survey-fatigue-hint = 0 asks every time.
survey-questions = Questions
survey-questions-hint = Blank rows are ignored. A question with a condition is shown only when an earlier answer meets it.
survey-question-n = Question { $n }
survey-q-key = Key (a-z, 0-9, _)
survey-q-type = Type
survey-q-text-en = Question (English)
survey-q-text-es = Question (Spanish)
survey-q-choices = Choices
survey-q-choices-hint = One per line: key=English label|Spanish label
survey-q-scale-max = Scale maximum (rating)
survey-q-required = Answer required
survey-q-show-if = Show only if question
survey-q-show-if-hint = Key of an earlier question; blank to always show.
survey-q-show-op = Condition
survey-q-show-value = Value
survey-more-rows = Add more rows
survey-type-nps = NPS (0–10)
survey-type-csat = CSAT (1–5)
survey-type-ces = CES (1–7)
survey-type-rating = Rating
survey-type-single_choice = Single choice
survey-type-multiple_choice = Multiple choice
survey-type-text = Free text
survey-op-eq = is
survey-op-ne = is not
survey-op-lt = is below
survey-op-lte = is at most
survey-op-gt = is above
survey-op-gte = is at least
survey-op-includes = includes
survey-op-answered = was answered
survey-import-intro = Paste a Qualtrics (.qsf), SurveyJS (.json) or LimeSurvey (.lss) file. It becomes a draft; anything not imported is listed.
survey-import-source = Survey file contents
survey-import-source-hint = Open the file in a text editor, copy everything and paste it here.
survey-import-done = The survey was imported as a draft.
survey-import-open = Open it in the builder
survey-import-report = Not imported
survey-import-element = Element
survey-import-kind = Type
survey-import-reason = Reason
survey-import-nothing-skipped = Everything in the file was imported.
survey-follow-up = Thanks! Based on your answers, there is a little more below. Check it, then send.
survey-link-copy = Copy this link and send it to the customer
nav-dashboard = Dashboard
dashboard-title = CX dashboard
dashboard-intro = Each outcome metric with its owner, target, value and 95% interval. Values from fewer than { $min } answers or customers are not shown as numbers.
dashboard-wall-open = Wall screen
dashboard-wall-live = Live
dashboard-wall-exit = Leave the wall screen
dashboard-filter-segment = Segment
dashboard-all-customers = All customers
dashboard-filter-period = Period
dashboard-period-30d = Last 30 days
dashboard-period-90d = Last 90 days
dashboard-period-365d = Last 365 days
dashboard-filter-from = From
dashboard-filter-to = To
dashboard-filter-apply = Apply filters
dashboard-range = From { $from } to { $to }
dashboard-kind-leading = Leading
dashboard-kind-lagging = Lagging
dashboard-kind-leading-hint = What customers say (surveys): moves first.
dashboard-kind-lagging-hint = What customers do (behaviour): follows later.
dashboard-target = Target
dashboard-owner = Owner
dashboard-owner-organization = Organization
dashboard-trend = Last 12 months
dashboard-csv = Download as CSV
dashboard-value = Value
dashboard-n = n = { $n }
dashboard-n-title = Sample (n)
dashboard-insufficient = insufficient data (n = { $n })
dashboard-interval = 95% interval: { $low } to { $high }
dashboard-interval-title = 95% interval
dashboard-status-met = Met
dashboard-status-at_risk = At risk
dashboard-status-missed = Missed
dashboard-status-insufficient = Insufficient data
dashboard-status-none = No target
dashboard-criteria-title = Intent criteria
dashboard-criteria-hint = Each criterion of the current intent statement, measured over the last { $days } days.
dashboard-criteria-none = The current intent statement has no criteria yet.
dashboard-goals-title = Experience goals
dashboard-experience = Experience
dashboard-goal-latest = Latest period
dashboard-goal-target = { $target } per { $period }
dashboard-goal-success-title = Periods on target
dashboard-goal-success = { $rate } ({ $met } of { $judged } periods)
dashboard-goal-unjudged = No period with enough data yet
dashboard-goals-none = No experience has been planned yet.
dashboard-touchpoints-title = Touchpoints
dashboard-touchpoint = Touchpoint
dashboard-month = Month
dashboard-open-plan = Open the plan
dashboard-series-title = { $metric } by month
dashboard-series-table = Show the numbers
dashboard-chart-insufficient = Too few answers to trust
dashboard-no-interactions = This experience has no key interactions yet.
dashboard-outcomes-title = What followed the interactions
dashboard-outcomes-hint = For each touchpoint, customers' first interaction there: did they go on (another touchpoint, a purchase, a renewal or a referral) or pull back within { $days } days? Shares are of the customers whose outcome is known.
dashboard-customers = Customers
dashboard-engaged = Engaged further
dashboard-pulled-back = Pulled back
dashboard-pending = Too early to tell
dashboard-no-activity = No customer activity in this period.
dashboard-flow-heading = Designed journey and actual paths
dashboard-flow-hint = How many of the { $customers } customers with activity went through the designed path in order, and the paths they most often took.
dashboard-flow-title = Journey of { $name }
dashboard-flow-reached = reached
dashboard-flow-dropped = went no further
dashboard-flow-customers = customers
dashboard-part-of = Part of these experiences
