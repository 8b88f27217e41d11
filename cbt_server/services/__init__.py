"""Services: the exam day's rules, between the API and storage."""
