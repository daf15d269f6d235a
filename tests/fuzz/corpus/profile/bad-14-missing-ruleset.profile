# expect: 14-missing-ruleset.profile:5: ruleset
[appliance]
name = bad14
[firewall]
ruleset = does-not-exist.nft
