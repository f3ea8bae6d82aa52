"""Sends COUNT requests of one kind over one keep-alive connection and checks each is a 200.

Usage: sequential_client.py PORT KIND COUNT FIRST
KIND is ready, health (basic auth) or search (POST /search, a new question every request:
one of the bench questions (questions.txt) plus a made-up word numbered from FIRST, so no
answer comes from the answer cache). Used by instructions.sh, where the server runs under
valgrind and a load generator's timing would only get in the way.
"""
import base64
import http.client
import os
import sys

QUESTIONS_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "questions.txt")


def main():
    port, kind, count, first = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    credentials = f"{os.environ['BENCH_USER']}:{os.environ['BENCH_PASSWORD']}".encode()
    auth = {"Authorization": "Basic " + base64.b64encode(credentials).decode()}
    with open(QUESTIONS_FILE, encoding="utf-8") as lines:
        questions = [line.strip() for line in lines if line.strip()]
    connection = http.client.HTTPConnection("127.0.0.1", int(port))
    for n in range(first, first + count):
        if kind == "ready":
            connection.request("GET", "/ready")
        elif kind == "health":
            connection.request("GET", "/health", headers=auth)
        elif kind == "search":
            body = '{"query":"%s zq%d","count":3}' % (questions[n % len(questions)], n)
            headers = dict(auth, **{"Content-Type": "application/json"})
            connection.request("POST", "/search", body=body, headers=headers)
        else:
            sys.exit(f"unknown kind {kind}")
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            sys.exit(f"{kind} request {n}: status {response.status}")


main()
