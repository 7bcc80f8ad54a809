# diagnostic (en)
