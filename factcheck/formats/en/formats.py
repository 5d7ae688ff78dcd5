# Dates as the reader pages have always written them: 1 December 2026, December 2026.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
