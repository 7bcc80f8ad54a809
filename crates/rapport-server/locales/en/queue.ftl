# queue
# The case queue (D2): filters, priority, tags, bulk changes, live updates.
queue-search = Search
queue-search-placeholder = Title or customer
queue-unassigned = Nobody (unassigned)
queue-any = Any
queue-priority = Priority
queue-tag = Tag
queue-tags = Tags
queue-tags-hint = Short labels separated by commas (at most 10, each up to 32 characters).
queue-breached = Promise broken
queue-total = { $count ->
    [one] One case
   *[other] { $count } cases
}
queue-total-many = More than { $count } cases
queue-select = Select
queue-select-case = Select “{ $title }”
queue-bulk-title = With the cases ticked
queue-bulk-assign = Assign to
queue-bulk-tags = Add tags
queue-bulk-submit = Apply to the ticked cases
queue-first-page = First page
queue-next-page = Next page
queue-stale = Cases have changed since this page was loaded.
queue-reload = Reload the queue
queue-triage-title = Priority and tags
queue-detractor = Detractor
queue-default-owner = Default queue owner
queue-default-owner-hint = Gets every case that no routing rule, touchpoint owner or listening-post governor would take (for example a refund without a touchpoint), so that no case is left with nobody.
queue-default-owner-none = Nobody is set: such cases stay unassigned.
case-priority-low = Low
case-priority-normal = Normal
case-priority-high = High
case-priority-urgent = Urgent
# Why the case is with its assignee (the case page).
case-why-routing_rule = With { $name }: a routing rule names them.
case-why-touchpoint_owner = With { $name }: they own the touchpoint.
case-why-post_governor = With { $name }: they govern the listening post it came through.
case-why-default_owner = With { $name }: the default queue owner, as no one else owns it.
case-why-manual = With { $name }: chosen by a person.
case-why-handover = With { $name }: handed over to them.
case-why-nobody = Nobody has this case: set a default queue owner in the case rules.
case-reason-routing_rule = routing rule
case-reason-touchpoint_owner = touchpoint owner
case-reason-post_governor = listening-post governor
case-reason-default_owner = default queue owner
case-reason-manual = chosen by a person
case-reason-handover = handover
# History lines: the action's title, then what it was.
case-history-handover = Handed over
case-history-priority = Priority changed
case-history-tagged = Tags changed
case-history-other = Changed
case-history-line = { $action }: { $detail }
case-history-person = person #{ $id }
case-history-item-response = response #{ $id }
case-history-item-event = event #{ $id }
case-history-opened-rule = by the rule “{ $rule }”, from { $item }
case-history-opened-rule-only = by the rule “{ $rule }”
case-history-joined-rule = { $items } (rule “{ $rule }”)
case-history-from-to = { $from } → { $to }
case-history-with-reason = { $what } · { $reason }
case-history-escalated-to = to { $name }
case-history-tags-none = no tags
case-breach-first_response = first response
case-breach-resolution = resolution
# The dashboard's closed-loop section.
closed-loop-title = Closing the loop
closed-loop-hint = Cases opened in the period. A promise counts once it is decided: answered, or past due without an answer.
closed-loop-rate = Closed-loop rate
closed-loop-rate-of = { $kept } of { $decided } within the promise
closed-loop-within = First response within the promise
closed-loop-median = Median time to first response
closed-loop-cases = { $count ->
    [one] One case opened
   *[other] { $count } cases opened
}
closed-loop-cases-title = Cases
closed-loop-by-touchpoint = By touchpoint
closed-loop-by-agent = By agent
closed-loop-no-touchpoint = No touchpoint
closed-loop-minutes = { $m } min
closed-loop-hours = { $h } h { $m } min
queue-more-filters = More filters
