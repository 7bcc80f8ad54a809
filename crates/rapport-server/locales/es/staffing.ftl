# Staffing (E. People)
nav-staffing = Dotación de personal
