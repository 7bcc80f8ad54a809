## Exports: the "Download CSV" link of the list pages (templates/macros.html, csv_link).

exports-download-csv = Download CSV
