# The survey builder: fields of each question type.
builder-types-hint = Every question shows every field; a field's label says which types use it, the others are ignored. Consent: the question is the text people agree to; tick “Answer required” to make agreeing compulsory.
builder-choices = Choices, ranking items or matrix point labels
builder-choices-hint = Single and multiple choice: the choices. Ranking: the items to put in order. Matrix: labels of the scale points, lowest first (optional). One per line: key=English label|Spanish label
builder-other = Offer “Other, please specify” (single and multiple choice)
builder-rows = Rows (matrix) or fields (several short texts)
builder-rows-hint = One per line: key=English label|Spanish label
builder-more = More settings for rating, matrix, number and slider
builder-scale = Scale (rating, matrix)
builder-scale-min = Lowest point (matrix: 0 or 1)
builder-scale-max = Highest point (rating: 3 to 10, matrix: 2 to 10)
builder-scale-max-hint = A matrix with point labels takes one point per label instead.
builder-not-applicable = Offer “Not applicable” on each row (matrix)
builder-numbers = Number and slider
builder-min = Minimum (number, slider)
builder-max = Maximum (number, slider)
builder-step = Step (slider, default 1)
builder-decimals = Decimals allowed (number, 0 to 6)
builder-ends = Labels at the ends (slider, matrix)
builder-low-en = Low end (English)
builder-low-es = Low end (Spanish)
builder-high-en = High end (English)
builder-high-es = High end (Spanish)
builder-block = Text block: the text to show (HTML)
builder-html-en = Text block (English)
builder-html-es = Text block (Spanish)
builder-html-hint = Kept tags: p, br, strong, b, em, i, u, ul, ol, li, h2, h3, h4, a (http, https and mailto links only), blockquote, hr. Anything else (images, styles, scripts) is removed when saved.
builder-show-if-hint = Key of an earlier question, or key.row for one row of a matrix or of several short texts; blank to always show.
builder-show-value-hint = For “is any of”, separate the values with commas.
builder-second = Second condition
builder-join = Joined with
builder-join-none = No second condition
builder-join-and = and (both must hold)
builder-join-or = or (either one is enough)
