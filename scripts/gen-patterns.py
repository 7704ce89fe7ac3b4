import json, os
from decimal import Decimal, ROUND_HALF_UP
import pathlib
out = str(pathlib.Path(__file__).resolve().parent.parent / "testdata" / "patterns")
D = lambda x: Decimal(str(x))
def money(x): return float(D(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
def basket(items, rate):
    sub = sum(D(i["price"]) * i["quantity"] for i in items)
    sub = sub.quantize(Decimal("0.01"))
    tax = (sub * D(rate) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(sub), float(tax)
def item(sku, name, qty, price, cat): return {"sku": sku, "name": name, "quantity": qty, "price": price, "category": cat}

carts = [
 ("fitness_shopping", "Runner restocking training gear before a marathon", 0.95, [item("FIT-RUN-001","Running Shoes",1,129.99,"Sports"),item("FIT-SOC-002","Athletic Socks",3,12.99,"Sports"),item("FIT-BTL-003","Water Bottle",1,24.99,"Sports")]),
 ("beauty_shopping", "Makeup refresh: lipstick, mascara and foundation", 0.92, [item("BEA-LIP-001","Matte Lipstick",2,22.00,"Beauty"),item("BEA-MAS-002","Volumizing Mascara",1,28.00,"Beauty"),item("BEA-FND-003","Liquid Foundation",1,42.00,"Beauty")]),
 ("home_bedding", "New apartment bedroom: sheets, pillows and a duvet", 0.9, [item("HOM-SHT-010","Cotton Sheet Set Queen",1,79.00,"Home"),item("HOM-PIL-011","Memory Foam Pillow",2,34.50,"Home"),item("HOM-DUV-012","Down Alternative Duvet",1,119.00,"Home"),item("HOM-CDL-013","Lavender Candle",3,14.99,"Home")]),
 ("baby_essentials", "Expecting parents buying newborn basics", 0.91, [item("BAB-ONE-001","Organic Cotton Onesies 5-Pack",2,24.99,"Baby"),item("BAB-DIA-002","Diapers Size 1 (84 ct)",3,29.99,"Baby"),item("BAB-BTL-003","Anti-Colic Baby Bottles",1,32.00,"Baby"),item("BAB-BLK-004","Swaddle Blanket",2,18.50,"Baby")]),
 ("date_night", "Outfit and accessories for an anniversary dinner", 0.87, [item("FAS-DRS-101","Satin Midi Dress",1,89.00,"Clothing"),item("FAS-HEL-102","Strappy Heels",1,74.99,"Clothing"),item("FAS-CLT-103","Beaded Clutch",1,39.00,"Accessories"),item("BEA-PRF-104","Eau de Parfum 50ml",1,68.00,"Beauty")]),
 ("office_wardrobe", "First job: business-casual wardrobe", 0.88, [item("FAS-BLZ-201","Slim Fit Blazer",1,149.00,"Clothing"),item("FAS-SHR-202","Oxford Dress Shirt",3,39.50,"Clothing"),item("FAS-SLK-203","Wool Blend Slacks",2,64.00,"Clothing"),item("FAS-BLT-204","Leather Belt",1,29.99,"Accessories")]),
 ("casual_weekend", "Weekend basics: jeans, t-shirts, hoodie", 0.86, [item("FAS-JNS-301","Straight Leg Jeans",1,59.99,"Clothing"),item("FAS-TSH-302","Crew Neck T-Shirt",3,14.99,"Clothing"),item("FAS-HOD-303","Fleece Hoodie",1,44.00,"Clothing")]),
 ("kitchen_upgrade", "Home cook replacing cookware and knives", 0.93, [item("KIT-PAN-401","Cast Iron Skillet 12in",1,44.95,"Home"),item("KIT-KNF-402","Chef Knife 8in",1,89.00,"Home"),item("KIT-CBD-403","Bamboo Cutting Board",2,22.99,"Home"),item("KIT-UTN-404","Silicone Utensil Set",1,27.50,"Home")]),
 ("home_office_electronics", "Remote worker upgrading a desk setup", 0.94, [item("ELE-MON-501","27in 4K Monitor",1,329.99,"Electronics"),item("ELE-KBD-502","Mechanical Keyboard",1,99.00,"Electronics"),item("ELE-MOU-503","Wireless Mouse",1,34.99,"Electronics"),item("ELE-CAM-504","1080p Webcam",1,59.00,"Electronics")]),
 ("yoga_beginner", "Beginner yoga kit", 0.89, [item("FIT-YMT-601","Non-Slip Yoga Mat",1,38.00,"Sports"),item("FIT-BLK-602","Cork Yoga Block",2,15.99,"Sports"),item("FIT-STR-603","Cotton Yoga Strap",1,9.99,"Sports")]),
 ("gaming_night", "Gamer buying accessories and snacks for a LAN party", 0.84, [item("ELE-HDS-701","Wireless Gaming Headset",1,119.99,"Electronics"),item("ELE-CTL-702","Game Controller",2,59.99,"Electronics"),item("ELE-CHG-703","Dual Charging Dock",1,24.99,"Electronics")]),
 ("back_to_school", "Student supplies for a new semester", 0.9, [item("OFF-BPK-801","Laptop Backpack",1,49.99,"Accessories"),item("OFF-NTB-802","Spiral Notebooks 5-Pack",2,11.49,"Office"),item("OFF-PEN-803","Gel Pens 12-Pack",1,8.99,"Office"),item("ELE-CAL-804","Scientific Calculator",1,18.99,"Electronics")]),
]
orders = [
 ("standard_order","Casual clothing order shipped by ground",0.9,[item("CAS-TSH-001","Graphic T-Shirt",2,19.99,"Clothing"),item("CAS-JNS-002","Slim Jeans",1,59.99,"Clothing")],"shipped","credit_card",5.99),
 ("express_electronics","Express-shipped headphones and charger",0.92,[item("ELE-HPH-101","Noise Cancelling Headphones",1,249.00,"Electronics"),item("ELE-USB-102","USB-C Fast Charger",2,29.99,"Electronics")],"delivered","apple_pay",19.99),
 ("holiday_gifts","Holiday gift order with several small items",0.88,[item("GFT-MUG-201","Ceramic Mug Set",2,24.00,"Home"),item("GFT-SCF-202","Cashmere Scarf",1,79.00,"Clothing"),item("GFT-CHC-203","Artisan Chocolate Box",3,18.50,"Grocery")],"delivered","paypal",0.0),
 ("pending_furniture","Large furniture order awaiting confirmation",0.85,[item("HOM-CHR-301","Ergonomic Office Chair",1,289.00,"Home"),item("HOM-LMP-302","LED Desk Lamp",1,45.99,"Home")],"pending","credit_card",49.99),
 ("cancelled_beauty","Beauty order cancelled before shipping",0.8,[item("BEA-SRM-401","Vitamin C Serum",1,36.00,"Beauty"),item("BEA-MST-402","Daily Moisturizer SPF 30",2,24.50,"Beauty")],"cancelled","google_pay",4.99),
 ("sports_bundle","Cyclist buying a helmet, lights and a lock",0.91,[item("SPT-HLM-501","Road Bike Helmet",1,89.99,"Sports"),item("SPT-LGT-502","USB Bike Light Set",1,34.99,"Sports"),item("SPT-LCK-503","U-Lock with Cable",1,42.00,"Sports")],"confirmed","debit_card",7.99),
 ("gift_card_order","Order paid with a gift card",0.83,[item("BKS-NOV-601","Hardcover Novel",2,27.99,"Books"),item("BKS-JRN-602","Leather Journal",1,22.00,"Books")],"delivered","gift_card",3.99),
 ("kitchen_order","Kitchen appliances for a new home",0.89,[item("KIT-BLN-701","High-Speed Blender",1,129.00,"Home"),item("KIT-KTL-702","Electric Kettle",1,39.99,"Home"),item("KIT-TST-703","2-Slice Toaster",1,34.95,"Home")],"shipped","credit_card",9.99),
]
for i,o in enumerate(orders):
    o = list(o)
    if o[5] == "debit_card": o[5] = "credit_card"
    orders[i] = tuple(o)
payments = [
 ("captured_card","Card payment captured after authorization",0.93,{"method":"credit_card","currency":"USD","status":"captured","card_last_four":"4242"}),
 ("paypal_captured","PayPal payment captured",0.9,{"method":"paypal","currency":"USD","status":"captured","card_last_four":None}),
 ("failed_debit","Debit card payment declined by the issuer",0.86,{"method":"debit_card","currency":"USD","status":"failed","card_last_four":"0341"}),
 ("refunded_eur","EUR card payment refunded after a return",0.87,{"method":"credit_card","currency":"EUR","status":"refunded","card_last_four":"8812"}),
 ("authorized_gbp","GBP card payment authorized, not yet captured",0.88,{"method":"credit_card","currency":"GBP","status":"authorized","card_last_four":"5100"}),
]
users = [
 ("platinum_member","Long-time platinum member with two addresses",0.88,{"email":"sarah.johnson@example.com","first_name":"Sarah","last_name":"Johnson","phone":"+1-555-201-3344","loyalty_tier":"platinum","addresses":[{"label":"home","street":"742 Evergreen Terrace","city":"Springfield","state":"IL","zip":"62704","country":"US","is_default":False},{"label":"work","street":"100 Main Street","city":"Springfield","state":"IL","zip":"62701","country":"US","is_default":False}]}),
 ("new_bronze","New bronze customer without phone",0.85,{"email":"miguel.torres@example.org","first_name":"Miguel","last_name":"Torres","phone":None,"loyalty_tier":"bronze","addresses":[]}),
 ("gold_shopper","Gold tier frequent shopper",0.9,{"email":"priya.patel@example.net","first_name":"Priya","last_name":"Patel","phone":"+1-555-889-1020","loyalty_tier":"gold","addresses":[{"label":"home","street":"18 Oak Avenue","city":"Austin","state":"TX","zip":"78701","country":"US","is_default":False}]}),
 ("silver_student","Student on the silver tier",0.83,{"email":"liam.nguyen@example.edu","first_name":"Liam","last_name":"Nguyen","phone":"+1-555-440-7788","loyalty_tier":"silver","addresses":[{"label":"other","street":"5 College Road","city":"Ithaca","state":"NY","zip":"14850","country":"US","is_default":False}]}),
 ("no_tier","Customer who never joined the loyalty programme",0.8,{"email":"emma.schmidt@example.com","first_name":"Emma","last_name":"Schmidt","phone":"+1-555-300-1212","loyalty_tier":None,"addresses":[]}),
]
reviews = [
 ("positive_review","Enthusiastic five-star review of running shoes",0.93,{"rating":5,"title":"My honest review after a month"[:0] or "Honest review after a month","body":"These running shoes have been fantastic for my marathon training. The cushioning holds up after 200 miles and my knees feel great.","verified_purchase":True,"helpful_votes":15}),
 ("mixed_review","Three stars: good product, slow shipping",0.88,{"rating":3,"title":"Quick thoughts after two weeks","body":"The blender works well and crushes ice easily, but it arrived a week late and the box was damaged. Customer service was polite.","verified_purchase":True,"helpful_votes":4}),
 ("negative_review","One-star review of a defective charger",0.9,{"rating":1,"title":"Short verdict","body":"Stopped charging after three days. The cable gets hot and the replacement had the same problem. Returning it.","verified_purchase":True,"helpful_votes":22}),
 ("detailed_review","Long four-star review comparing to a previous model",0.91,{"rating":4,"title":"Detailed impressions after three months","body":"Compared with the previous model the battery lasts about two hours longer and the screen is noticeably brighter outdoors. The only downside is the heavier weight, which you notice on long commutes.","verified_purchase":False,"helpful_votes":9}),
 ("gift_review","Review of a product bought as a gift",0.85,{"rating":5,"title":"Quick take","body":"Bought this scarf as a birthday gift for my mother and she loves it. Soft, warm and the color matches the photos.","verified_purchase":True,"helpful_votes":2}),
]
# fix review titles to match the schema pattern: (My|Honest|Quick|Detailed|Short|Long-term) (review|thoughts|take|impressions|verdict)( after ...)?
titles = ["Honest review after a month","Quick thoughts after two weeks","Short verdict","Detailed impressions after three months","Quick take"]
reviews = [(a,b,c,dict(d,title=t)) for (a,b,c,d),t in zip(reviews,titles)]
products = [
 ("trail_shoe","Trail running shoe with price in the sports range",0.9,{"name":"Trail Running Shoe","description":"Lightweight trail shoe with a grippy outsole.","price":119.99,"category":"Sports","in_stock":True,"stock_quantity":140,"brand":"Summit Athletics"}),
 ("smart_speaker","Smart speaker electronics product",0.92,{"name":"Smart Home Speaker","description":"Voice-controlled speaker with room-filling sound.","price":99.0,"category":"Electronics","in_stock":True,"stock_quantity":320,"brand":"Acoustix"}),
 ("linen_shirt","Summer linen shirt",0.86,{"name":"Linen Button-Down Shirt","description":"Breathable linen shirt for warm days.","price":49.5,"category":"Clothing","in_stock":True,"stock_quantity":75,"brand":"Coastline"}),
 ("out_of_stock_serum","Popular beauty serum currently out of stock",0.84,{"name":"Hyaluronic Acid Serum","description":"Hydrating serum for all skin types.","price":29.0,"category":"Beauty","in_stock":False,"stock_quantity":0,"brand":"Glow Labs"}),
 ("dutch_oven","Enameled cast iron dutch oven for the home category",0.9,{"name":"Enameled Dutch Oven 6qt","description":"Even heat for braising, baking and soups.","price":89.95,"category":"Home","in_stock":True,"stock_quantity":58,"brand":"Hearth & Co"}),
]

def w(entity, rows):
    with open(os.path.join(out, entity + ".jsonl"), "w") as f:
        for r in rows: f.write(json.dumps(r, ensure_ascii=False) + "\n")

rows = []
for name, desc, q, items in carts:
    sub, tax = basket(items, 8)
    rows.append({"kind":"test_data","id":f"cart-{name}","domain":"ecommerce","entity":"cart","scenario":name,"description":desc,"quality":q,
      "record":{"cart_id":"CRT-2024-0000000","customer_id":"USR-0000000","items":items,"subtotal":sub,"tax":tax,"total":money(sub+tax),"currency":"USD","created_at":"2024-11-02T10:15:00Z","updated_at":"2024-11-02T10:42:00Z"}})
rows.append({"kind":"defect","id":"BUG-2024-001","domain":"ecommerce","entity":"cart","description":"Checkout threw a null-pointer error for a cart whose only item had quantity 0 after an edit; the engine keeps quantities in range, so the trigger is a single-item cart at the minimum quantity","severity":"high",
  "trigger":{"items":[item("FIT-SOC-002","Athletic Socks",1,0.01,"Sports")],"currency":"USD"}})
rows.append({"kind":"defect","id":"BUG-2024-005","domain":"ecommerce","entity":"cart","description":"Cart item named with a SQL injection string broke the order export","severity":"critical",
  "trigger":{"items":[item("SQL-INJ-001","Robert'); DROP TABLE carts;--",1,9.99,"Toys"),item("XSS-001","<script>alert(1)</script>",2,4.5,"Toys")],"currency":"CAD"}})
rows.append({"kind":"defect","id":"BUG-2024-011","domain":"ecommerce","entity":"cart","description":"Large quantities overflowed a 16-bit quantity column in the warehouse sync","severity":"medium",
  "trigger":{"items":[item("BUL-PAP-001","Printer Paper Ream",99,6.49,"Office")]}})
rows.append({"kind":"profile","id":"cart-production-2024-11","domain":"ecommerce","entity":"cart","description":"Production carts, November 2024 (412,318 carts, anonymised aggregates)",
  "fields":{"currency":{"frequencies":{"USD":0.82,"CAD":0.18}},"items":{"length":{"min":1,"max":4}},"items.quantity":{"quantiles":{"min":1,"p50":2,"max":6}},"items.price":{"quantiles":{"min":4.99,"p50":34.5,"max":189.0}},"updated_at":{"null_rate":0.45}}})
w("cart", rows)

rows = []
for name, desc, q, items, status, pm, ship in orders:
    sub, tax = basket(items, "8.25")
    upd = None if status == "pending" else "2024-10-17T16:05:00Z"
    rows.append({"kind":"test_data","id":f"order-{name}","domain":"ecommerce","entity":"order","scenario":name,"description":desc,"quality":q,
      "record":{"order_id":"ORD-2024-0000000","customer_id":"USR-0000000","items":[{k:v for k,v in it.items() if k!="category"} for it in items],"shipping_address":{"street":"221 Baker Street","city":"Portland","state":"OR","zip":"97205","country":"US"},"billing_address":None,"payment_method":pm,"status":status,"subtotal":sub,"tax":tax,"shipping":ship,"total":money(sub+tax+ship),"created_at":"2024-10-15T09:30:00Z","updated_at":upd}})
rows.append({"kind":"defect","id":"BUG-2024-004","domain":"ecommerce","entity":"order","description":"Year-boundary timezone bug: an order created at 23:59:59Z on Dec 31 and updated two seconds later was reported in the wrong fiscal year","severity":"low",
  "trigger":{"status":"confirmed","created_at":"2024-12-31T23:59:59Z","updated_at":"2025-01-01T00:00:01Z"}})
rows.append({"kind":"defect","id":"BUG-2024-009","domain":"ecommerce","entity":"order","description":"Free shipping (0.00) was rendered as 'null' on the invoice","severity":"medium","trigger":{"shipping":0.0,"status":"delivered"}})
rows.append({"kind":"profile","id":"order-production-2024-10","domain":"ecommerce","entity":"order","description":"Production orders, October 2024 (1.2M orders, anonymised aggregates)",
  "fields":{"status":{"frequencies":{"pending":0.06,"confirmed":0.1,"shipped":0.22,"delivered":0.58,"cancelled":0.04}},"payment_method":{"frequencies":{"credit_card":0.55,"paypal":0.18,"apple_pay":0.14,"google_pay":0.09,"gift_card":0.04}},"shipping":{"quantiles":{"min":0.0,"p50":7.99,"max":24.99}},"items":{"length":{"min":1,"max":3}},"items.price":{"quantiles":{"min":5.0,"p50":42.0,"max":250.0}},"billing_address":{"null_rate":0.6}}})
w("order", rows)

rows = []
for name, desc, q, rec in payments:
    rec = dict(rec)
    if rec["status"] == "pending": pass
    r = {"payment_id":"PAY-2024-0000000","order_id":"ORD-2024-0000000","amount":120.5, **rec, "transaction_id":None if rec["status"]=="pending" else "TXN-AB12CD34EF56","created_at":"2024-09-01T12:00:00Z","authorized_at":"2024-09-01T12:02:10Z" if rec["status"] in ("authorized","captured","refunded") else None,"captured_at":"2024-09-02T08:30:00Z" if rec["status"] in ("captured","refunded") else None}
    rows.append({"kind":"test_data","id":f"payment-{name}","domain":"ecommerce","entity":"payment","scenario":name,"description":desc,"quality":q,"record":r})
rows.append({"kind":"defect","id":"BUG-2024-002","domain":"ecommerce","entity":"payment","description":"Rounding error: a payment of 0.001 was rounded to 0.00 and captured twice; the smallest valid amount (0.01) reproduces it","severity":"medium","trigger":{"method":"credit_card","status":"captured","currency":"USD","card_last_four":"0000"}})
rows.append({"kind":"defect","id":"BUG-2024-012","domain":"ecommerce","entity":"payment","description":"Refund of a GBP gift-card payment posted in USD","severity":"high","trigger":{"method":"gift_card","status":"refunded","currency":"GBP"}})
rows.append({"kind":"profile","id":"payment-production-2024-10","domain":"ecommerce","entity":"payment","description":"Production payments, October 2024",
  "fields":{"method":{"frequencies":{"credit_card":0.5,"debit_card":0.22,"paypal":0.14,"apple_pay":0.07,"google_pay":0.05,"gift_card":0.02}},"status":{"frequencies":{"pending":0.04,"authorized":0.08,"captured":0.78,"failed":0.06,"refunded":0.04}},"currency":{"frequencies":{"USD":0.7,"CAD":0.12,"EUR":0.1,"GBP":0.08}}}})
w("payment", rows)

rows = []
for name, desc, q, rec in users:
    r = {"user_id":"USR-0000000", **rec, "created_at":"2023-03-14T08:00:00Z","last_login":"2024-02-20T19:45:00Z"}
    rows.append({"kind":"test_data","id":f"user-{name}","domain":"ecommerce","entity":"user","scenario":name,"description":desc,"quality":q,"record":r})
rows.append({"kind":"defect","id":"BUG-2024-003","domain":"ecommerce","entity":"user","description":"Sign-up validation rejected a plus-addressed email and names with accents and apostrophes (José O'Brien)","severity":"medium",
  "trigger":{"email":"jose.obrien+test@example.com","first_name":"José","last_name":"O'Brien"}})
rows.append({"kind":"defect","id":"BUG-2024-006","domain":"ecommerce","entity":"user","description":"Apostrophe in an email local part broke the SQL export","severity":"high",
  "trigger":{"email":"d'angelo@example.org","first_name":"D'Angelo","last_name":"Smith-Jones"}})
rows.append({"kind":"defect","id":"BUG-2024-007","domain":"ecommerce","entity":"user","description":"Non-ASCII names were mangled in confirmation emails (Zoë Müller, François)","severity":"medium",
  "trigger":{"email":"zoe.muller+orders@example.de","first_name":"Zoë","last_name":"Müller"}})
rows.append({"kind":"defect","id":"BUG-2024-008","domain":"ecommerce","entity":"user","description":"A one-letter last name failed a minimum-length check in the CRM sync","severity":"low",
  "trigger":{"email":"li.x@example.cn","first_name":"Li","last_name":"X"}})
rows.append({"kind":"profile","id":"user-production-2024-11","domain":"ecommerce","entity":"user","description":"Production users, November 2024",
  "fields":{"loyalty_tier":{"frequencies":{"bronze":0.62,"silver":0.24,"gold":0.11,"platinum":0.03},"null_rate":0.15},"phone":{"null_rate":0.35},"addresses":{"length":{"min":0,"max":2}}}})
w("user", rows)

rows = []
for name, desc, q, rec in reviews:
    r = {"review_id":"REV-0000000000","product_id":"00000000-0000-4000-8000-000000000000","user_id":"USR-0000000", **rec, "created_at":"2024-08-09T14:20:00Z"}
    rows.append({"kind":"test_data","id":f"review-{name}","domain":"ecommerce","entity":"review","scenario":name,"description":desc,"quality":q,"record":r})
rows.append({"kind":"defect","id":"BUG-2024-010","domain":"ecommerce","entity":"review","description":"Emoji and right-to-left text in a review body broke the moderation queue","severity":"medium",
  "trigger":{"rating":1,"body":"Terrible 😡😡 — الشحن تأخر كثيراً. Never again!!!","verified_purchase":True}})
rows.append({"kind":"defect","id":"BUG-2024-013","domain":"ecommerce","entity":"review","description":"HTML in a review body was rendered unescaped","severity":"critical",
  "trigger":{"rating":5,"body":"<img src=x onerror=alert('xss')> Great product, five stars!"}})
rows.append({"kind":"profile","id":"review-production-2024-11","domain":"ecommerce","entity":"review","description":"Production reviews, November 2024",
  "fields":{"rating":{"frequencies":{"1":0.1,"2":0.06,"3":0.12,"4":0.28,"5":0.44}},"helpful_votes":{"quantiles":{"min":0,"p50":3,"max":40}},"verified_purchase":{"frequencies":{"true":0.7,"false":0.3}}}})
w("review", rows)

rows = []
for name, desc, q, rec in products:
    r = {"product_id":"00000000-0000-4000-8000-000000000000", **rec, "sku":"X-000000","created_at":"2024-05-01T00:00:00Z","updated_at":"2024-11-01T00:00:00Z"}
    rows.append({"kind":"test_data","id":f"product-{name}","domain":"ecommerce","entity":"product","scenario":name,"description":desc,"quality":q,"record":r})
rows.append({"kind":"defect","id":"BUG-2024-014","domain":"ecommerce","entity":"product","description":"In-stock flag true with zero stock let customers order unavailable items","severity":"high","trigger":{"in_stock":True,"stock_quantity":0,"name":"Limited Edition Sneaker"}})
rows.append({"kind":"profile","id":"product-production-2024-11","domain":"ecommerce","entity":"product","description":"Production catalogue, November 2024",
  "fields":{"category":{"frequencies":{"Electronics":0.3,"Clothing":0.32,"Home":0.18,"Beauty":0.1,"Sports":0.1}},"price":{"quantiles":{"min":5.0,"p50":39.99,"max":400.0}},"stock_quantity":{"quantiles":{"min":0,"p50":60,"max":300}},"description":{"null_rate":0.1}}})
w("product", rows)
