# Knowledge (E. People)
nav-knowledge = Knowledge base
knowledge-title = Knowledge base
knowledge-intro = Answers for the front line: FAQs, product descriptions and procedures, in English and Spanish. Search in either language.
knowledge-new = New article
knowledge-edit = Edit article
knowledge-search = Search
knowledge-search-placeholder = e.g. refund, grinder, opening hours
knowledge-search-submit = Search
knowledge-search-all = Search the knowledge base
knowledge-kind = Kind
knowledge-any-kind = Any kind
knowledge-kind-faq = FAQ
knowledge-kind-product = Product description
knowledge-kind-procedure = Procedure
knowledge-touchpoint = Touchpoint
knowledge-any-touchpoint = Any touchpoint
knowledge-archived = Archived
knowledge-archived-badge = Archived
knowledge-most-used = Most used from cases
knowledge-most-used-at = Most used at { $name }
knowledge-outdated-title = Marked outdated
knowledge-outdated-at = Marked outdated at { $name }
knowledge-outdated-hint = Agents say these no longer match how things are done: the owner should fix them. A new version clears the mark.
knowledge-none-used = No article has been opened from a case yet.
knowledge-none-outdated = Nothing is marked outdated.
knowledge-uses = { $count ->
    [one] opened once from a case
   *[other] opened { $count } times from cases
}
knowledge-outdated-count = { $count ->
    [one] 1 outdated mark
   *[other] { $count } outdated marks
}
knowledge-helpful-count = { $count ->
    [one] 1 found it helpful
   *[other] { $count } found it helpful
}
knowledge-version = Version { $version }
knowledge-empty = No articles yet.
knowledge-no-match = No article matches. Try another word, or the other language.
knowledge-next = Next page
knowledge-back-to-case = Back to the case “{ $title }”
knowledge-written-by = Version { $version } by { $author }
knowledge-fallback-en = Shown in English: there is no version in your language yet.
knowledge-fallback-es = Shown in Spanish: there is no English version of this article yet.
knowledge-old-version = You are reading version { $version }; the current one is { $current }.
knowledge-see-current = See the current version
knowledge-archived-note = This article is archived: it is no longer suggested or listed.
knowledge-marked-outdated = { $count ->
    [one] Someone marked this version outdated.
   *[other] { $count } people marked this version outdated.
}
knowledge-links = Linked to
knowledge-link-touchpoint = Touchpoint
knowledge-link-root-cause = Root cause
knowledge-link-case-rule = Case rule
knowledge-link-touchpoints = Touchpoints
knowledge-link-root-causes = Root causes
knowledge-link-case-rules = Case rules
knowledge-marks = Was this useful?
knowledge-my-mark-helpful = You marked it helpful
knowledge-my-mark-outdated = You marked it outdated
knowledge-mark-helpful = Helpful
knowledge-mark-outdated = Outdated
knowledge-note = What is out of date?
knowledge-note-hint = Optional, for the owner who fixes it (at most 500 characters).
knowledge-notes = Notes on this version
knowledge-history = Versions
knowledge-shown = shown
knowledge-archive = Archive
knowledge-archive-hint = Archived articles stay readable but are no longer listed or suggested on cases.
knowledge-form-intro = Write in English, in Spanish or both; readers see their language and fall back to the other. Every save is a new version.
knowledge-english = English
knowledge-spanish = Spanish
knowledge-field-title = Title
knowledge-field-body = Text
knowledge-body-hint = Markdown: # headings, - lists, **bold**, [links](https://…), images uploaded to Rapport as ![caption](/media/ID).
knowledge-one-language = A title and text in at least one language.
knowledge-new-version-hint = Saving makes a new version; outdated marks on the previous one stop counting.
knowledge-save = Save
knowledge-cancel = Cancel
knowledge-case-title = Suggested articles
knowledge-case-none = No article matches this case yet.
knowledge-why-root-cause = linked to root cause { $name }
knowledge-why-touchpoint = linked to touchpoint { $name }
knowledge-why-words = matches: { $name }
knowledge-touchpoint-link = Knowledge base articles for this touchpoint
