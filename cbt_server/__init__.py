"""cbt_server"""
