"""The eligibility engine: pure Python, no database access while it evaluates.

It takes the facts of a case (the commune's zonages on the date, the profession, the situation, the date) and the
dated rules of every scheme, and answers for each scheme in force on the date: eligible, not eligible, or needs
more information — with one reason per condition, the amount, and the questions to answer.
"""
