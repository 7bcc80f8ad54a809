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

# The builder: moving and copying question rows.
builder-row-up = Move up
builder-row-down = Move down
builder-row-duplicate = Duplicate
error-invalid_order = It is shown depending on a question that would come after it: keep the order, or change its condition first.

# Sharing a survey's anonymous link.
builder-share-title = Share the survey
builder-share-intro = The anonymous link, its QR code for posters and receipts, and HTML to put the survey in your own website.
builder-share-unpublished = The survey is not published yet: the link, QR code and embedded survey answer “not found” until you publish it.
builder-share-qr-alt = QR code of the survey’s link
builder-share-qr-download = Download the QR code (SVG)
builder-share-link = Anonymous link
builder-share-embed = Embed in a web page (HTML)
builder-share-embed-hint = The survey inside your page, without its header. Paste it where the survey should appear.
builder-share-anchor = Link (HTML)
builder-share-qr-html = QR code image (HTML)

# Spanish texts still to write.
builder-gaps-title = { $count ->
    [one] One Spanish text is missing or still in English.
   *[other] { $count } Spanish texts are missing or still in English.
}
builder-gaps-intro = Respondents who read Spanish see these in English. Imported surveys start with the English copied into Spanish.
builder-gap-missing = no Spanish
builder-gap-same_as_english = the Spanish is the English text
builder-gap-title = Title
builder-gap-intro = Introduction
builder-gap-text = question text
builder-gap-choice = choice { $n }
builder-gap-row = row { $n }
builder-gap-low = low end label
builder-gap-high = high end label

# The preview.
builder-preview-title = Preview
builder-preview-intro = The survey as respondents see it. It follows your edits as you type; without JavaScript it shows the saved version. Nothing answered here is stored.
builder-preview-lang-en = English
builder-preview-lang-es = Spanish
builder-preview-phone = Phone
builder-preview-desktop = Desktop
builder-preview-note = Preview: answers given here are not sent.
