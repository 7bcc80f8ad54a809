# council (en)
