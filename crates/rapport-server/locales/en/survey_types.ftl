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
survey-not-applicable = N/A
survey-other = Other
survey-other-specify = If other, please specify
survey-slider-skip = I’d rather not answer
survey-rank-hint = Pick one item for each place, the most important first. Each item once.
survey-rank-place = { $n ->
    [1] 1st place
    [2] 2nd place
    [3] 3rd place
   *[other] { $n }th place
}
survey-date-format = YYYY-MM-DD
error-invalid_choice = Choose one of the options offered.
error-incomplete = Give every item a place.
error-too_precise = Use fewer decimal places.
error-no_answer = This text takes no answer.
survey-answers-csv = Answers (CSV)
survey-results = Results
survey-results-title = Results
survey-results-intro = The mean of every score, matrix row, slider and number, with its 95% interval, over the period chosen. A matrix row is analysed like a rating of its own.
survey-results-from = From
survey-results-to = To
survey-results-interval = Trend by
survey-results-by-week = week
survey-results-by-month = month
survey-results-by-quarter = quarter
survey-results-by-year = year
survey-results-apply = Show
survey-results-item = Question
survey-results-mean = Mean (95% interval)
survey-results-answers = Answers
survey-results-scale = Scale
survey-results-trend = Trend
survey-results-few = few answers
survey-results-few-hint = Fewer than 30 answers: the interval is wide.
survey-results-empty = This survey has no scores, matrix rows, sliders or numbers.
error-too_many_points = Too many points: choose a longer interval or a shorter period.
