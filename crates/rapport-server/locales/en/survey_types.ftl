# Survey question types: the public page, answers shown in the inbox and timeline.
survey-type-matrix = Matrix (rows on one scale)
survey-type-numeric = Number
survey-type-slider = Slider
survey-type-ranking = Ranking
survey-type-date = Date
survey-type-multi_text = Several short texts
survey-type-text_block = Text block (no answer)
survey-type-consent = Consent checkbox
survey-op-any_of = is any of
