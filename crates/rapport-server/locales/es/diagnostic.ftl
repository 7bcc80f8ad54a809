# diagnostic (es)
