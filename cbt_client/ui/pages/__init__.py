"""The station's screens; each renders what the session says and reports what the person did."""
