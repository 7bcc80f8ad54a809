# Staffing (E. People)
nav-staffing = Staffing
