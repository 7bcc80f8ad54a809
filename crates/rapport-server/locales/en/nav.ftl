# The menu's groups: the steps of the program (web/nav.rs).
nav-group-plan = Plan
nav-group-listen = Listen
nav-group-measure = Measure
nav-group-act = Act
nav-group-improve = Improve
nav-group-people = People
nav-group-open = Open the { $group } menu
nav-council = CX council
nav-diagnostic = Diagnostic
nav-gaps = Gap analysis
nav-root-causes = Root causes
nav-comms = Comms plan
