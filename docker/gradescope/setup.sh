#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder image. The autograder
# zip (made by build_zip.sh) is unpacked in /autograder/source. Installs Java 17 for Spark,
# Python 3.11+ and the grader, editable: the grader finds fixtures/ beside its package.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

apt-get update -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless ca-certificates

python=python3
if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  # Ubuntu 22.04 ships Python 3.10; its 3.11 package is enough for the grader.
  apt-get install -y -qq --no-install-recommends python3.11 python3.11-venv
  python=python3.11
else
  apt-get install -y -qq --no-install-recommends python3-venv
fi

cd /autograder/source
"$python" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
/autograder/venv/bin/python -m pip install --quiet -e .

java -version
# Record Spark's classes once, in the image: every submission then starts Spark faster.
/autograder/venv/bin/python -m grader.spark.jvm
/autograder/venv/bin/grader gradescope --help >/dev/null
