"""Prints the Scheme A webhook signature (hex HMAC-SHA1 of url + body) for the benchmark."""
import hashlib
import hmac
import sys

key, url, body = sys.argv[1], sys.argv[2], sys.argv[3]
print(hmac.new(key.encode(), (url + body).encode(), hashlib.sha1).hexdigest())
