## Exportaciones: el enlace «Descargar CSV» de las páginas de listas (templates/macros.html, csv_link).

exports-download-csv = Descargar CSV
