import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

import org.apache.jena.query.Dataset;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ReadWrite;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.tdb2.TDB2Factory;

/**
 * Runs SPARQL query files on a TDB2 dataset opened as Jena opens it by default (its default graph is its own,
 * not the union of the named graphs), writing OUT/NAME.json per query: one JVM for all the shipped queries,
 * where tdb2.tdbquery would start one per query.
 * Usage: java RunQueries DB OUT QUERY.rq...
 */
public class RunQueries {
    public static void main(String[] args) throws Exception {
        Dataset dataset = TDB2Factory.connectDataset(args[0]);
        Path out = Paths.get(args[1]);
        dataset.begin(ReadWrite.READ);
        try {
            for (int i = 2; i < args.length; i++) {
                Path query = Paths.get(args[i]);
                try (QueryExecution run = QueryExecutionFactory.create(QueryFactory.read(query.toString()), dataset);
                     OutputStream json = Files.newOutputStream(out.resolve(query.getFileName() + ".json"))) {
                    ResultSetFormatter.outputAsJSON(json, run.execSelect());
                }
            }
        } finally {
            dataset.end();
        }
    }
}
