# expect: 56-route-too-many-words.profile:4: route has 65 words, more than the node takes (64)
[appliance]
name = bad56
route = 10.0.0.0/8 via 10.1.1.1 metric 1 metric 2 metric 3 metric 4 metric 5 metric 6 metric 7 metric 8 metric 9 metric 10 metric 11 metric 12 metric 13 metric 14 metric 15 metric 16 metric 17 metric 18 metric 19 metric 20 metric 21 metric 22 metric 23 metric 24 metric 25 metric 26 metric 27 metric 28 metric 29 metric 30 metric 31
