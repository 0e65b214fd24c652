import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Starts mongo-java-server (a MongoDB wire-protocol server) on 127.0.0.1:<port> for Vigil's tests and local runs. Run
 * in source-file mode: java -cp '<jars>/*' MongoMain.java <port> [<file>]. Without a file the data lives in memory
 * (tests); with one, in an H2 MVStore file that outlives the process (`npm start`). Prints "ready <port>" once bound
 * and stops when its standard input closes, so that it never outlives the process that started it.
 */
public class MongoMain {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        MongoBackend backend = args.length > 1 ? new H2Backend(args[1]) : new MemoryBackend();
        MongoServer server = new MongoServer(backend);
        server.bind("127.0.0.1", port);
        System.out.println("ready " + port);
        System.out.flush();
        // shutdownNow closes the backend: the MVStore commits what its last autocommit (every second) had not written.
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        while (System.in.read() != -1) {
            // Drain until the parent goes away.
        }
        System.exit(0);
    }
}
