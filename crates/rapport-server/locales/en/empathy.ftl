# empathy (en): A6 empathy maps per touchpoint
empathy-title = Empathy map
empathy-segment = Segment
empathy-general = General (every customer)
empathy-show = Show
empathy-evidence-count = { $cited } of { $total } entries cite evidence
empathy-version-by = Version { $version } by { $author }
empathy-old-version = You are looking at version { $version }, an earlier version.
empathy-see-current = See the current map
empathy-none = No empathy map yet. Start from what customers said: add their recent comments below, or write the entries your team knows.
empathy-q-says = Says
empathy-q-thinks = Thinks
empathy-q-does = Does
empathy-q-feels = Feels
empathy-q-pains = Pains
empathy-q-gains = Gains
empathy-theme = Theme
empathy-quote-gone = (the cited comment was erased)
empathy-cites-response = Customer response
empathy-cites-case = Case
empathy-cites-theme = Feedback theme
empathy-empty-quadrant = Nothing here yet.
empathy-suggestions = What customers said here lately
empathy-suggestions-note = The latest comments at this touchpoint. Negative ones are candidate pains, positive ones candidate gains. Adding one quotes the comment and cites the response.
empathy-tone-negative = Negative
empathy-tone-neutral = Neutral
empathy-tone-positive = Positive
empathy-tone-mixed = Mixed
empathy-add-as = Add to { $quadrant }
empathy-edit = Edit the map
empathy-edit-note = One entry per row, at most { $max } entries. Clear a row to remove its entry. Each save keeps a new version.
empathy-entry = Entry { $n }
empathy-quadrant = Quadrant
empathy-text = What the customer says, thinks, does or feels
empathy-evidence = Evidence
empathy-evidence-hint = response:ID, case:ID or theme:ID. An entry citing a response may leave the text empty: the comment is the entry.
empathy-save = Save as a new version
empathy-versions = Versions
empathy-version = Version { $version }
empathy-plan-title = Empathy: pains and gains
empathy-plan-missing = No empathy map yet:
empathy-link-count = { $count ->
    [one] Empathy map (1)
   *[other] Empathy map ({ $count })
}
empathy-link-none = Empathy map: start one
empathy-top-pain = Top pain
