# Italian writes the day without a leading zero in running text: 1 dicembre 2026.
DATE_FORMAT = "j F Y"
YEAR_MONTH_FORMAT = "F Y"
