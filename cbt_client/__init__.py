"""cbt_client"""
