"""question_bank"""
