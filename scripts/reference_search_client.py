#!/usr/bin/env python3
"""Runs the reference SDK's own `native_vector_search` skill, in remote mode, against a running
swml-server, and checks what it gets back.

The skill is used as an agent of the reference SDK would use it: configured with `remote_url`
(credentials in the URL) and no `index_name`, so it sends `"index_name": "default"`, checks the
server with `GET /health`, then posts each question to `POST /search` and turns the results into
the text an AI would read. This server treats `default` as its default index when no index has
that name; the script fails (exit status 1) when a question gets no result, when the skill
reports an error, or when the server cannot be reached.

Setup (the SDK is not a dependency of the project; CI does not run this):

    pip download --no-deps 'signalwire-sdk>=3.7,<3.8' -d /tmp/sdk
    python3 -m venv /tmp/sdk-env
    /tmp/sdk-env/bin/pip install /tmp/sdk/signalwire_sdk-*.whl

Run against a server (the SDK refuses private addresses unless told otherwise):

    SWML_ALLOW_PRIVATE_URLS=true /tmp/sdk-env/bin/python scripts/reference_search_client.py \
        http://signalwire:PASSWORD@127.0.0.1:3000 ["question" ...]
"""

import sys

QUESTIONS = [
    "how do I make the server use HTTPS?",
    "who may call my agent?",
    "can I refresh the documents without restarting anything?",
]


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    url, questions = argv[1], argv[2:] or QUESTIONS
    from signalwire import AgentBase

    agent = AgentBase(name="reference-probe", route="/probe")
    agent.add_skill(
        "native_vector_search",
        {"remote_url": url, "tool_name": "search_docs", "count": 3},
    )
    failures = 0
    for question in questions:
        result = agent.on_function_call("search_docs", {"query": question}, {})
        if hasattr(result, "to_dict"):
            result = result.to_dict()
        text = str(result.get("response", "")) if isinstance(result, dict) else str(result)
        found = "Found" in text and "result" in text
        print(f"{'ok  ' if found else 'FAIL'} {question!r}")
        print("     " + text[:300].replace("\n", "\n     "))
        failures += not found
    print(f"{len(questions) - failures} of {len(questions)} questions answered through the skill")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
