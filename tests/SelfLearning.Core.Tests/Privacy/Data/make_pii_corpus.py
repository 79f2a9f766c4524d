#!/usr/bin/env python3
"""Writes pii-corpus.json: hand-written positive and negative strings per entity for measuring
PiiDetector's precision and recall. Positives give the substring that must be found (its span is
computed here); negatives are look-alikes that must not be found. Run: /usr/bin/python3 make_pii_corpus.py"""
import json, os

P = {}  # entity -> list of (text, [substrings])
N = {}  # entity -> list of texts

P["EMAIL_ADDRESS"] = [(t, [s]) for t, s in [
    ("Contact jane.doe@example.com for results", "jane.doe@example.com"),
    ("email: j.smith+lab@hospital.org", "j.smith+lab@hospital.org"),
    ("Sent to MARY_O'NEIL@clinic.co.uk yesterday", "MARY_O'NEIL@clinic.co.uk"),
    ("reply-to <noreply@mail.service.example.net>", "noreply@mail.service.example.net"),
    ("patient wrote from p12345@gmail.com.", "p12345@gmail.com"),
    ("cc: a@b.io", "a@b.io"),
    ("Her address is first-last@sub.domain-name.info, please update", "first-last@sub.domain-name.info"),
    ("user%tag@example.org asked for a callback", "user%tag@example.org"),
    ("(mail: dr.who@tardis.health)", "dr.who@tardis.health"),
    ("Send to 'billing@acme.com'", "billing@acme.com"),
    ("contact=ops@example.dev;", "ops@example.dev"),
    ("x_y.z@example-mail.de wrote", "x_y.z@example-mail.de"),
    ("Email ME@EXAMPLE.COM now", "ME@EXAMPLE.COM"),
    ("from: o'brien@irish.ie", "o'brien@irish.ie"),
    ("nurse.station4@stmarys.nhs.uk is monitored", "nurse.station4@stmarys.nhs.uk"),
    ("son's mail is tom1999@yahoo.co.jp", "tom1999@yahoo.co.jp"),
    ("Forwarded by admin@192-168-0-1.example.com", "admin@192-168-0-1.example.com"),
    ("mail~box@example.museum", "mail~box@example.museum"),
    ("test.user@xn--bcher-kva.example", "test.user@xn--bcher-kva.example"),
    ("write to support@company.solutions today", "support@company.solutions"),
    ("The wife (anna.k@posteo.net) called", "anna.k@posteo.net"),
]]
N["EMAIL_ADDRESS"] = [
    "my email is info@presidio.", "user@localhost", "name@domain", "@mention in a post", "john at example dot com",
    "a@b.c", "first.last@", "user@-example.com", "user@example..com", "price 5@3.99 each",
    "ratio 2@1", "user.@", "email@.com", "see section 4.2@page", "@@example.com",
    "handle @jane_doe", "version 1.2.3", "plain text without any address", "user(at)example(dot)com", "name#example.com",
    "mailto: (blank)", "size 10x20@300dpi",
]

P["PHONE_NUMBER"] = [(t, [s]) for t, s in [
    ("Call me at (415) 555-0132 tomorrow", "(415) 555-0132"),
    ("mobile 212-555-0198", "212-555-0198"),
    ("phone: 312.555.0147", "312.555.0147"),
    ("tel +1 650 253 0000", "+1 650 253 0000"),
    ("Fax +1-202-555-0110.", "+1-202-555-0110"),
    ("reach her on +44 20 7946 0958", "+44 20 7946 0958"),
    ("+49 30 901820 is the office", "+49 30 901820"),
    ("number +33 1 42 68 53 00", "+33 1 42 68 53 00"),
    ("call +61 2 9374 4000", "+61 2 9374 4000"),
    ("WhatsApp +919876543210", "+919876543210"),
    ("Japan office 03-3224-9999", "03-3224-9999"),
    ("ring 020 7946 0958 (London)", "020 7946 0958"),
    ("Israeli mobile 054-7654321", "054-7654321"),
    ("cell 13912345678 (China)", "13912345678"),
    ("daughter: 7185550123", "7185550123"),
    ("(800)555-0199 toll free", "(800)555-0199"),
    ("Pager 1-800-555-0175", "1-800-555-0175"),
    ("+55 21 2555 1234 Rio", "+55 21 2555 1234"),
    ("home 617 555 0142", "617 555 0142"),
    ("+39 06 6988 3145 Rome", "+39 06 6988 3145"),
    ("contact via +353 1 555 0123", "+353 1 555 0123"),
]]
N["PHONE_NUMBER"] = [
    "order 12345", "zip 94105", "the year 2021", "invoice 2021-05-21", "room 1234-56",
    "version 10.0.19041", "ISBN 978-3-16-148410-0", "is415-555-0132", "id 123-45-678", "total 1,234,567",
    "price 555.01", "code 415-555", "call 911", "ext. 2345", "value 0.4155550132",
    "batch 01-02-03", "12:30:45", "temperature 36.6", "weight 70.5 kg", "case 2020/123",
    "lot 1234567", "serial 015-12",
]

P["US_SSN"] = [(t, [s]) for t, s in [
    ("SSN 078-05-1123 on file", "078-05-1123"),
    ("social security number: 219-09-9998", "219-09-9998"),
    ("ssn=536-90-4399", "536-90-4399"),
    ("His SSN is 123-45-6788.", "123-45-6788"),
    ("SSN 001 01 0001", "001 01 0001"),
    ("ss# 772.12.3456", "772.12.3456"),
    ("social 078051121", "078051121"),
    ("SSN (449-43-2345)", "449-43-2345"),
    ("SSN:212-67-8901", "212-67-8901"),
    ("claimant 665-12-3456 filed", "665-12-3456"),
    ("spouse ssn 667-01-0002", "667-01-0002"),
    ("SSN 899-99-9999", "899-99-9999"),
    ("id 530-44-1234 verified", "530-44-1234"),
    ("SSN: 404 55 6677", "404 55 6677"),
    ("dependent 345-67-8901", "345-67-8901"),
    ("social 078-051121", "078-051121"),
    ("social 07805-1121", "07805-1121"),
    ("ssn 111-22-3333 listed", "111-22-3333"),
    ("beneficiary SSN 250-62-7184", "250-62-7184"),
    ("tax id 321-54-9876", "321-54-9876"),
    ("applicant's SSN is 602-18-4460", "602-18-4460"),
    # Never issued, but called an SSN: a miss would be a leak, so these are redacted (with a lower score).
    ("SSN 000-12-3456", "000-12-3456"),
    ("SSN 666-12-3456", "666-12-3456"),
    ("SSN 900-12-3456", "900-12-3456"),
    ("SSN 123-00-4567", "123-00-4567"),
    ("SSN 123-45-0000", "123-45-0000"),
]]
N["US_SSN"] = [
    "ref 000-12-3456", "ref 666-12-3456", "ref 900-12-3456", "ref 123-00-4567", "ref 123-45-0000",
    "number 111-11-1111", "sample 123-45-6789", "078-05-1120 (Woolworth card)", "693-09.4444", "0780511201",
    "id 12-345-6789", "phone 415-555-0132", "date 2021-05-21", "value 0.123456782", "order 1234-56-789",
    "serial 123-456-789", "12345678", "room 078 05", "card 4111 1111 1111 1111", "code 999-99-9999",
    "part 045-5-12345", "SSN 987-65-4321",
]

P["CREDIT_CARD"] = [(t, [s]) for t, s in [
    ("card 4111 1111 1111 1111 exp 12/25", "4111 1111 1111 1111"),
    ("Visa 4012888888881881", "4012888888881881"),
    ("MC 5555-5555-5555-4444", "5555-5555-5555-4444"),
    ("Amex 3782 822463 10005", "3782 822463 10005"),
    ("amex 371449635398431", "371449635398431"),
    ("Discover 6011111111111117", "6011111111111117"),
    ("diners 30569309025904", "30569309025904"),
    ("JCB 3530111333300000", "3530111333300000"),
    ("paid with 5105105105105100", "5105105105105100"),
    ("Card: 4000 0566 5566 5556.", "4000 0566 5566 5556"),
    ("mastercard 2223003122003222", "2223003122003222"),
    ("pan=4242424242424242;", "4242424242424242"),
    ("card no 6011-0009-9013-9424", "6011-0009-9013-9424"),
    ("UnionPay 6200000000000005", "6200000000000005"),
    ("visa debit 4000056655665556", "4000056655665556"),
    ("card ending 5200828282828210", "5200828282828210"),
    ("(4917 3008 0000 0000)", "4917 3008 0000 0000"),
    ("refund to 378734493671000", "378734493671000"),
    ("Maestro 6759649826438453", "6759649826438453"),
    ("charged 4484070000000000", "4484070000000000"),
    ("card 5019717010103742 declined", "5019717010103742"),
]]
N["CREDIT_CARD"] = [
    "card 4111 1111 1111 1112", "4012-8888-8888-1882", "36168002586008", "1748503543012", "order 1234567890123456",
    "value 0.4111111111111111", "phone +1 415 555 0132", "IBAN DE89370400440532013000", "isbn 9783161484100", "id 7000 0000 0000 0000",
    "account 12345678", "tracking 1Z999AA10123456784", "ssn 078-05-1123", "zip 94105-1234", "serial 9999 9999 9999 9999",
    "number 4111111111111", "batch 5555-5555-5555-4445", "ref 3782-822463-10006", "timestamp 1700000000000", "doi 10.1000/182",
    "code 8888 8888 8888 8888", "luhn-ish 0000 0000 0000 0000",
]

P["IP_ADDRESS"] = [("source 198.18.0.254, dest 198.18.1.1", ["198.18.0.254", "198.18.1.1"])] + [(t, [s]) for t, s in [
    ("login from 192.168.1.20", "192.168.1.20"),
    ("server 10.0.0.1 down", "10.0.0.1"),
    ("host=172.16.254.1;", "172.16.254.1"),
    ("public ip 8.8.8.8.", "8.8.8.8"),
    ("client (203.0.113.195) retried", "203.0.113.195"),
    ("gateway 255.255.255.0 mask", "255.255.255.0"),
    ("ipv6 2001:db8:85a3::8a2e:370:7334 seen", "2001:db8:85a3::8a2e:370:7334"),
    ("loopback ::1", "::1"),
    ("link-local fe80::1ff:fe23:4567:890a%eth2", "fe80::1ff:fe23:4567:890a%eth2"),
    ("full 2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:0db8:0000:0000:0000:ff00:0042:8329"),
    ("mapped ::ffff:198.51.100.7", "::ffff:198.51.100.7"),
    ("[2001:db8::1]:443", "2001:db8::1"),
    ("ip:0.0.0.0", "0.0.0.0"),
    ("from 100.64.0.1 via CGNAT", "100.64.0.1"),
    ("address 2606:4700:4700::1111", "2606:4700:4700::1111"),
    ("proxy 127.0.0.1:8080", "127.0.0.1"),
    ("v6 fd00::abcd:1234", "fd00::abcd:1234"),
    ("router 192.0.2.1/24", "192.0.2.1"),
    ("ip 169.254.10.20 assigned", "169.254.10.20"),
    ("peer 2a00:1450:4001:82b::200e connected", "2a00:1450:4001:82b::200e"),
]]
N["IP_ADDRESS"] = [
    "my ip: 192.168.0", "256.256.256.256", "192.168.1.256", "300.168.1.1", "version 1.2.3",
    "Time 12:34:56", "Ratio 1:2:3:4", "std::cout", "MyClass::toString", "abc:def:ghi",
    "2001::db8::1", "12345:db8::1", "IP192.168.1.1text", "text2001:db8::1", "MAC aa:bb:cc:dd:ee:ff",
    "value 3.14159", "price 1.234.567", "build 10.0.19041.1", "gggg:hhhh::1234", "1.2.3.4.5",
    "coords 51.5074, 0.1278", "port 80:443",
]

P["DATE_TIME"] = [(t, [s]) for t, s in [
    ("born 03/15/1962", "03/15/1962"),
    ("admitted 2021-05-21", "2021-05-21"),
    ("discharged on 21.5.2021", "21.5.2021"),
    ("seen 5-20-2021 by Dr", "5-20-2021"),
    ("DOB: 12/31/99", "12/31/99"),
    ("visit on March 3, 2021", "March 3, 2021"),
    ("on 3 March 2021 the", "3 March 2021"),
    ("died 5-MAY-2021", "5-MAY-2021"),
    ("follow-up Jan 15th 2022", "Jan 15th 2022"),
    ("scan 2024-03-15T14:30:00Z done", "2024-03-15T14:30:00Z"),
    ("arrived at 14:30 today", "14:30"),
    ("appointment at 3:45 pm", "3:45 pm"),
    ("since May 2020", "May 2020"),
    ("on the 21st of June, 2020", "21st of June, 2020"),
    ("expires 05/2026", "05/2026"),
    ("from 2020/11/02 on", "2020/11/02"),
    ("recorded 2024-06-05 09:15", "2024-06-05 09:15"),
    ("Sept 9 was the date", "Sept 9"),
    ("surgery Dec-2019", "Dec-2019"),
    ("at 7am", "7am"),
    ("on 15 Aug 2023", "15 Aug 2023"),
]]
N["DATE_TIME"] = [
    "version 1.2.3", "score 45/100", "13/13/2020", "2021-13-45", "ratio 3/4", "1/2 cup",
    "room 12-345", "32.5.2021", "phone 415-555-0132", "ip 10.10.10.10", "Ratio 1:2:3:4",
    "the year 2021", "may I help", "march forward", "Port 80:443", "page 12 of 30",
    "12345", "code 2021-AB", "dose 5-10 mg", "ssn 078-05-1123", "v2.0.21",
    "size 99/99",
]

P["URL"] = [(t, [s]) for t, s in [
    ("see https://www.example.com/path?q=1", "https://www.example.com/path?q=1"),
    ("portal http://patient.portal.org/login.", "http://patient.portal.org/login"),
    ("visit www.hospital.org today", "www.hospital.org"),
    ("docs at example.com/docs", "example.com/docs"),
    ("ftp://files.example.net/x.csv", "ftp://files.example.net/x.csv"),
    ("profile https://facebook.com/jane.doe.123", "https://facebook.com/jane.doe.123"),
    ("(https://example.org/a_(b))", "https://example.org/a_(b)"),
    ("link: http://localhost.example:8080/app", "http://localhost.example:8080/app"),
    ("domain google.co.il works", "google.co.il"),
    ("blog: jane-doe.blog", "jane-doe.blog"),
    ("HTTPS://EXAMPLE.COM/UP", "HTTPS://EXAMPLE.COM/UP"),
    ("our site clinic.health/contact", "clinic.health/contact"),
    ("https://t.co/abc123 shared", "https://t.co/abc123"),
    ("url=https://sub.domain.example.de/p?x=1&y=2", "https://sub.domain.example.de/p?x=1&y=2"),
    ("webmail https://mail.example.com/#inbox", "https://mail.example.com/#inbox"),
    ("moved to new-site.io", "new-site.io"),
    ("visit http://microsoft.webcam", "http://microsoft.webcam"),
    ("photos at www.flickr.com/photos/123", "www.flickr.com/photos/123"),
    ("the wiki en.wikipedia.org/wiki/HIPAA", "en.wikipedia.org/wiki/HIPAA"),
    ("https://user@example.com/private", "https://user@example.com/private"),
    ("go to https://example.net, then", "https://example.net"),
    # An IP host with a port and path is one URL, not an address followed by leftovers (issue 12).
    ("images at http://10.1.2.3:8080/emr today", "http://10.1.2.3:8080/emr"),
    ("PACS viewer 10.20.30.40:8080/emr/study?id=7, opened", "10.20.30.40:8080/emr/study?id=7"),
]]
N["URL"] = [
    "www.microsoft", "http://microsoft", "file.txt", "report.pdf", "e.g. this", "i.e. that",
    "Mr.Smith arrived", "3.14", "script.py", "README.md", "config.json", "end.Next sentence",
    "version 2.0.1", "jane.doe@example.com", "node.js", "a.b", "image.png", "archive.tar.gz",
    "data.csv", "notes.docx", "setup.exe", "main.cs",
]

P["IBAN_CODE"] = [(t, [s]) for t, s in [
    ("IBAN DE89370400440532013000", "DE89370400440532013000"),
    ("pay to GB82 WEST 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32"),
    ("account FR1420041010050500013M02606", "FR1420041010050500013M02606"),
    ("NL91ABNA0417164300 (Dutch)", "NL91ABNA0417164300"),
    ("iban: ES9121000418450200051332", "ES9121000418450200051332"),
    ("IT60X0542811101000000123456 for rent", "IT60X0542811101000000123456"),
    ("CH9300762011623852957", "CH9300762011623852957"),
    ("BE68 5390 0754 7034", "BE68 5390 0754 7034"),
    ("AT61 1904 3002 3457 3201", "AT61 1904 3002 3457 3201"),
    ("transfer to SE4550000000058398257466", "SE4550000000058398257466"),
    ("NO9386011117947", "NO9386011117947"),
    ("PL61109010140000071219812874", "PL61109010140000071219812874"),
    ("DK5000400440116243 refund", "DK5000400440116243"),
    ("IE29 AIBK 9311 5212 3456 78", "IE29 AIBK 9311 5212 3456 78"),
    ("FI2112345600000785", "FI2112345600000785"),
    ("PT50000201231234567890154", "PT50000201231234567890154"),
    ("GR1601101250000000012300695", "GR1601101250000000012300695"),
    ("LU280019400644750000", "LU280019400644750000"),
    ("(HU42117730161111101800000000)", "HU42117730161111101800000000"),
    ("SA0380000000608010167519", "SA0380000000608010167519"),
    ("AL47 2121 1009 0000 0002 3569 8741", "AL47 2121 1009 0000 0002 3569 8741"),
]]
N["IBAN_CODE"] = [
    "DE89370400440532013001", "GB82 WEST 1234 5698 7654 33", "FR1420041010050500013M02607", "NL91ABNA0417164301", "XX89370400440532013000",
    "DE8937040044053201300", "AL47 212A 1009 0000 0002 3569 8741", "BE71 0961 2345 6760", "order AB12345678901234", "code DE00 0000 0000 0000 0000 00",
    "serial ZZ99ABCDEFGHIJKLMNOP", "VIN 1HGCM82633A004352", "tracking 1Z999AA10123456784", "de89370400440532013000", "ISBN 9783161484100",
    "product SKU DE12-3456", "AT61 1904 3002 3457 320", "GB00 WEST 0000 0000 0000 00", "part NO1234", "PL00000000000000000000000000",
    "model US12ABCDEF345678", "CH93 0076 2011 6238 5295 8",
]

P["MAC_ADDRESS"] = [(t, [s]) for t, s in [
    ("MAC 00:1A:2B:3C:4D:5E", "00:1A:2B:3C:4D:5E"),
    ("hw addr aa-bb-cc-dd-ee-01", "aa-bb-cc-dd-ee-01"),
    ("Cisco 0012.3456.789A", "0012.3456.789A"),
    ("device 3C:22:FB:7A:11:09 joined", "3C:22:FB:7A:11:09"),
    ("ether f0:18:98:aa:bb:cc", "f0:18:98:aa:bb:cc"),
    ("mac=08-00-27-4E-66-A1;", "08-00-27-4E-66-A1"),
    ("(AC:DE:48:00:11:22)", "AC:DE:48:00:11:22"),
    ("wifi b8:27:eb:12:34:56.", "b8:27:eb:12:34:56"),
    ("pump 00-50-56-C0-00-08 offline", "00-50-56-C0-00-08"),
    ("adapter a4c3.f047.1b2c", "a4c3.f047.1b2c"),
    ("bt 5C:F3:70:8B:C2:D4", "5C:F3:70:8B:C2:D4"),
    ("monitor DC:A6:32:01:02:03 paired", "DC:A6:32:01:02:03"),
    ("MACs 01:23:45:67:89:ab", "01:23:45:67:89:ab"),
    ("nic 00:0c:29:3e:5b:7f", "00:0c:29:3e:5b:7f"),
    ("phy 1A-2B-3C-4D-5E-6F", "1A-2B-3C-4D-5E-6F"),
    ("router 00:14:22:01:23:45 reset", "00:14:22:01:23:45"),
    ("sensor 70:B3:D5:9F:00:01", "70:B3:D5:9F:00:01"),
    ("id 0050.56c0.0001", "0050.56c0.0001"),
    ("tablet 9C:B6:D0:FF:FF:FE", "9C:B6:D0:FF:FF:FE"),
    ("addr 02:42:ac:11:00:02", "02:42:ac:11:00:02"),
    ("host E4-5F-01-AA-BB-CC", "E4-5F-01-AA-BB-CC"),
]]
N["MAC_ADDRESS"] = [
    "Not a MAC: 00:1A:2B:3C:4D", "ZZ:ZZ:ZZ:ZZ:ZZ:ZZ", "FF:FF:FF:FF:FF:FF", "00:00:00:00:00:00", "10:2F:33-AC-29-C3",
    "time 12:34:56", "ipv6 2001:db8::1", "00:1A:2B:3C:4D:5E:6F:70", "0012.3456", "serial 12-34-56-78",
    "ratio 1:2:3:4:5:6", "hex 001A2B3C4D5E", "color #ff00aa", "uuid 123e4567-e89b-12d3-a456-426614174000", "1.2.3.4.5.6",
    "ISBN 978-3-16-148410-0", "date 2021-05-21", "0000.0000.0000", "ffff.ffff.ffff", "AA:BB:CC:DD:EE:GG",
    "G0:1A:2B:3C:4D:5E", "12:34",
]

cases = []
for entity, rows in P.items():
    for text, subs in rows:
        spans = []
        for s in subs:
            i = text.find(s)
            assert i >= 0, (text, s)
            spans.append([i, i + len(s)])
        cases.append({"entity": entity, "text": text, "expected_spans": spans, "kind": "positive"})
for entity, rows in N.items():
    for text in rows:
        cases.append({"entity": entity, "text": text, "expected_spans": [], "kind": "negative"})
for e in P:
    assert len(P[e]) >= 20 and len(N[e]) >= 20, e

out = {"_source": "Hand-written for SelfLearning.Core by make_pii_corpus.py: realistic positives and look-alike negatives per entity. Card, IBAN and SSN numbers are published test numbers or made up; none belongs to a person.",
       "cases": cases}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "pii-corpus.json"), "w") as f:
    json.dump(out, f, indent=1)
print(len(cases))
