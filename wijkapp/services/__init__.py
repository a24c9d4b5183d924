"""Domain operations without HTTP. They add and flush; the request (wijkapp.web) or CLI command commits.

A map by the cycle's steps, for finding where a thing lives:

    collect   intake (every signal enters here), conversations (host notes), micro_survey (form B),
              panel_sessions (form C), locations (QR codes), rounds, signal_list, themes
    choose    bundling, suggestions, ranking (top 3 / top 5), choosing (feasibility × impact),
              meeting (the 20-minute slot)
    act       actions (Template 2), plans (Template 1), practice, calendar_feed, personal_links, contacts
    feed back feedback (Template 3), plain_language, receipts, notify, loop_figures, folder, exports
    accounts  accounts, team, first_start, setup_wizard, instance_admin, passwords, two_step
    trust     privacy (AVG), audit, backup, codes, links, text; demo for a first look

The modules stay flat rather than in one package per step: several serve more than one step
(rounds, signal_list, exports, personal_links, notify, audit), imports would grow longer without
saying more, and each module's name is already a word from the glossary in DESIGN.md.
"""
