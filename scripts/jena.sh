#!/usr/bin/env bash
# Run a command-line tool of Apache Jena as Debian ships it (package libapache-jena-java: the jars of Jena 4.5,
# TDB2 and its command classes, but no launcher scripts and no Fuseki), e.g.
#   scripts/jena.sh tdb2.tdbloader --loc DB graph.nq        scripts/jena.sh tdb2.tdbquery --loc DB --query q.rq
# Any other main class on the same classpath works too (`-cp` is printed by `scripts/jena.sh --classpath`).
# Debian's jena-core.jar moved the bundled Xerces classes to the package `xerces` but left their message files
# under org/apache/jena/ext/xerces, so every tool stops at start-up ("RuntimeException: internal error" in
# XSSimpleTypeDecl); the files are copied once to where the classes look for them, in $KG_JENA_FIX (a cache).
set -eu
bash "$(dirname "$0")/apt.sh" /usr/share/java/jena-tdb2.jar libapache-jena-java
J=/usr/share/java
FIX=${KG_JENA_FIX:-${XDG_CACHE_HOME:-$HOME/.cache}/kg/jena-xerces-messages}
if [ ! -e "$FIX/xerces/impl/msg/XMLSchemaMessages.properties" ]; then
  TMP=$(mktemp -d)
  python3 - "$J/jena-core.jar" "$TMP" <<'PY'
import sys, zipfile
prefix = "org/apache/jena/ext/xerces/"
with zipfile.ZipFile(sys.argv[1]) as jar:
    for name in jar.namelist():
        if name.startswith(prefix) and name.endswith(".properties"):
            target = f"{sys.argv[2]}/xerces/{name[len(prefix):]}"
            __import__("os").makedirs(target.rsplit("/", 1)[0], exist_ok=True)
            open(target, "wb").write(jar.read(name))
PY
  mkdir -p "$FIX" && cp -r "$TMP/xerces" "$FIX/" && rm -rf "$TMP"
fi
CP=$FIX
for jar in jena-base jena-core jena-arq jena-iri jena-cmds jena-tdb2 jena-tdb jena-dboe-base jena-dboe-index \
           jena-dboe-storage jena-dboe-trans-data jena-dboe-transaction jena-rdfconnection jena-shacl jena-shex \
           commons-cli commons-codec commons-compress commons-csv commons-io commons-lang3 dexx.collection gson guava \
           httpclient httpcore jackson-core jackson-databind jackson-annotations jsonld-java jakarta.json-api \
           titanium-json-ld protobuf thrift slf4j-api slf4j-nop; do
  CP=$CP:$J/$jar.jar
done
if [ "${1:-}" = "--classpath" ]; then echo "$CP"; exit 0; fi
exec java -cp "$CP" "$@"
