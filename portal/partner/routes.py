"""The partner's view of a referral through its signed link. (Being built.)"""
