# Staffing (E. People)
nav-staffing = Staffing
staffing-title = Staffing
staffing-intro = How many agents a contact channel needs to answer promptly (Erlang C), and how that compares with the agents scheduled, hour by hour.
staffing-calculator = Erlang C calculator
staffing-contacts = Contacts per interval
staffing-interval = Interval (minutes)
staffing-handle = Average handle time (seconds)
staffing-answer = Target answer time (seconds)
staffing-service-level = Target service level (%)
staffing-shrinkage = Shrinkage (%)
staffing-max-occupancy = Maximum occupancy (%)
staffing-calculate = Calculate
staffing-traffic = Traffic (Erlangs)
staffing-raw = Agents needed (raw)
staffing-scheduled = Agents to schedule (after shrinkage)
staffing-achieved-sl = Service level
staffing-occupancy = Occupancy
staffing-waiting = Probability of waiting
staffing-asa = Average speed of answer
staffing-around = Around that staffing
staffing-agents = Agents
staffing-needed-badge = needed
staffing-formula = Traffic = contacts × handle time ÷ interval. Occupancy = traffic ÷ agents. Service level = 1 − P(wait) × e^(−(agents − traffic) × answer time ÷ handle time). Agents to schedule = raw agents ÷ (1 − shrinkage), rounded up.
staffing-channels = Contact channels
staffing-channels-intro = Every event recorded at a contact channel's touchpoint counts as a contact. Open a touchpoint to see its week, or to make it a contact channel.
staffing-is-channel = Contact channel
staffing-not-channel = Not a contact channel
staffing-no-touchpoints = There are no touchpoints yet.
staffing-not-channel-note = This touchpoint has no staffing targets yet, so no agents are counted as needed. Set its targets below.
staffing-csv = Download CSV
staffing-week = Agents needed and scheduled
staffing-weeks = Average over
staffing-last-weeks = { $count ->
    [one] the last week
   *[other] the last { $count } weeks
}
staffing-show = Show
staffing-week-note = Hours in { $zone }. Contacts are averaged over:
staffing-shortfall-hours = { $count ->
    [one] 1 hour short of agents
   *[other] { $count } hours short of agents
}
staffing-no-shortfall = No hour is short of agents
staffing-short-count = { $count } short
staffing-hour = Hour
staffing-avg-contacts = Contacts (average)
staffing-needed = Needed
staffing-raw-short = { $n } raw
staffing-scheduled-col = Scheduled
staffing-shortfall = Shortfall
staffing-schedule = Schedule for { $day }
staffing-save-schedule = Save schedule
staffing-settings = Staffing targets
staffing-settings-intro = The targets this touchpoint is staffed to, in hour-long intervals.
staffing-save-settings = Save targets
staffing-day-mon = Monday
staffing-day-tue = Tuesday
staffing-day-wed = Wednesday
staffing-day-thu = Thursday
staffing-day-fri = Friday
staffing-day-sat = Saturday
staffing-day-sun = Sunday
error-unreachable = No number of agents reaches this target; lower it.
