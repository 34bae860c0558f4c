#!/usr/bin/env bash
# Run Virtuoso 7 from Debian (package virtuoso-opensource-7-bin) in a folder of its own, in the foreground,
# configured as Debian ships it (/usr/share/virtuoso-opensource-7/virtuoso.ini of virtuoso-opensource-7):
# only the paths (all in DIR) and the ports differ, and the wiki plugins of the full package are not loaded.
# Default login dba/dba; SPARQL at http://127.0.0.1:HTTP_PORT/sparql, Graph Store at /sparql-graph-crud-auth.
# Usage: scripts/virtuoso.sh DIR HTTP_PORT SQL_PORT   (stop it with SIGTERM)
set -eu
DIR=$(cd "$1" && pwd); HTTP_PORT=$2; SQL_PORT=$3
bash "$(dirname "$0")/apt.sh" virtuoso-t virtuoso-opensource-7-bin
cat > "$DIR/virtuoso.ini" <<INI
[Database]
DatabaseFile = $DIR/virtuoso.db
ErrorLogFile = $DIR/virtuoso.log
LockFile = $DIR/virtuoso.lck
TransactionFile = $DIR/virtuoso.trx
xa_persistent_file = $DIR/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = $DIR/virtuoso-temp.db
TransactionFile = $DIR/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:$SQL_PORT
LiteMode = 0
DisableUnixSocket = 1
DisableTcpSocket = 0
MaxClientConnections = 10
CheckpointInterval = 60
O_DIRECT = 0
CaseMode = 2
MaxStaticCursorRows = 5000
CheckpointAuditTrail = 0
AllowOSCalls = 0
SchedulerInterval = 10
DirsAllowed = .
ThreadCleanupInterval = 0
ThreadThreshold = 10
ResourcesCleanupInterval = 0
FreeTextBatchSize = 100000
SingleCPU = 0
PrefixResultNames = 0
RdfFreeTextRulesSize = 100
IndexTreeMaps = 64
MaxMemPoolSize = 200000000
MacSpotlight = 0
MaxQueryMem = 2G
VectorSize = 1000
MaxVectorSize = 1000000
AdjustVectorSize = 0
ThreadsPerQuery = 4
AsyncQueueMaxThreads = 10
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000

[HTTPServer]
ServerPort = 127.0.0.1:$HTTP_PORT
ServerRoot = $DIR
MaxClientConnections = 10
DavRoot = DAV
EnabledDavVSP = 0
HTTPProxyEnabled = 0
TempASPXDir = 0
ServerThreads = 10
MaxKeepAlives = 10
KeepAliveTimeout = 10
MaxCachedProxyConnections = 10
ProxyConnectionCacheTimeout = 15
HTTPThreadSize = 280000
HttpPrintWarningsInOutput = 0
Charset = UTF-8
EnabledGzipContent = 1

[Client]
SQL_PREFETCH_ROWS = 100
SQL_PREFETCH_BYTES = 16000
SQL_QUERY_TIMEOUT = 0
SQL_TXN_TIMEOUT = 0

[URIQA]
DynamicLocal = 0
DefaultHost = localhost:$HTTP_PORT

[SPARQL]
ResultSetMaxRows = 10000
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
DefaultQuery = select distinct ?Concept where {[] a ?Concept} LIMIT 100
DeferInferenceRulesInit = 0
INI
cd "$DIR"
exec virtuoso-t +foreground +configfile "$DIR/virtuoso.ini"
