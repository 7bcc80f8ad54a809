# behaviours (en)
behaviours-title = Perfect behaviours
behaviours-intro = The behaviours we want customers to show, each a rule over their events. A customer shows a behaviour on a day they have a matching event and reach the count within the window (earlier events count, also before the period). The rate is the customers who showed it ÷ the eligible customers; "current" is the last { $days } days.
behaviours-empty = No perfect behaviours yet. Add the first one below: for example "Buys again within 60 days" (purchase, 2 events, 60 days).
behaviours-rule = { $count ->
    [one] At least one { $type } event
   *[other] At least { $count } { $type } events
} { $window ->
    [0] at any time
    [1] on one day
   *[other] within { $window } days
}
behaviours-rule-touchpoint = at { $touchpoint }
behaviours-rule-base-matching = Rate among customers with a { $type } event in the period.
behaviours-rule-base-active = Rate among all active customers in the period.
behaviours-owner = Owner
behaviours-choose-owner = Choose a person
behaviours-target = Target (%)
behaviours-current = Last { $days } days
behaviours-of = { $shown } of { $eligible }
behaviours-trend = Trend (12 months)
behaviours-by-month = By month
behaviours-month = Month
behaviours-rate = Rate
behaviours-eligible = Eligible customers
behaviours-no-data = No data
behaviours-on-target = On target
behaviours-below-target = Below target
behaviours-edit = Edit
behaviours-save = Save
behaviours-delete = Delete
behaviours-delete-question = Delete this behaviour and its figures?
behaviours-add = Add a behaviour
behaviours-name = Name
behaviours-name-es = Name in Spanish
behaviours-event-type = Event type
behaviours-event-type-hint = A built-in type (purchase, referral, renewal…) or custom:NAME.
behaviours-touchpoint = Touchpoint
behaviours-any-touchpoint = Any touchpoint
behaviours-count = Number of events
behaviours-window = Within (days)
behaviours-window-hint = Leave blank for any time.
behaviours-base = Rate among
behaviours-base-matching = Customers with a matching event
behaviours-base-active = All active customers
behaviours-link = Perfect behaviours
behaviours-type-purchase = purchase
behaviours-type-referral = referral
behaviours-type-renewal = renewal
behaviours-type-non_renewal = non-renewal
behaviours-type-cancellation = cancellation
behaviours-type-refund = refund
behaviours-type-contact = contact
behaviours-type-touchpoint_visit = touchpoint visit
metric-perfect_behaviour = Perfect behaviour
metric-perfect_behaviour-definition = Of the eligible customers in the period, those who showed the behaviour (its rule: an event type, how many, within how many days; earlier events count).
