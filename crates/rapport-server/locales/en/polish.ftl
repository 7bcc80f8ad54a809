# polish (en): small fixes found by a new user (issue 20, item 7)

## Coverage of an organization with no experience and no touchpoint yet
polish-coverage-nothing = Nothing to cover yet
polish-coverage-nothing-hint = Nothing to cover yet: add an experience or a touchpoint and give it an accountable person.

## Listening channels: every code a listening post is offered or given, in words
channel-survey = Survey
channel-social = Social media
channel-review_site = Review sites
channel-app_review = App store reviews
channel-web_feedback = Website feedback
channel-in_person = In person
channel-sms = Text message
channel-other = Other

## Dashboard tiles: the change from the previous period of the same length, with its test (C9)
polish-change-significant = { $delta } pts vs the previous { $days } days (significant, { $p })
polish-change-not_significant = { $delta } pts vs the previous { $days } days (not significant, { $p })
polish-change-untested = No comparison with the previous { $days } days: too little data

## Dashboard: the filters folded behind a toggle on a phone
polish-dashboard-filters = Filters
polish-dashboard-filters-set = filtered
