# council (es)
