import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Starts mongo-java-server (a MongoDB wire-protocol server, memory backend) on 127.0.0.1:<port> for Vigil's tests and
 * local runs. Run in source-file mode: java -cp '<jars>/*' MongoMain.java <port>. Prints "ready <port>" once bound and
 * stops when its standard input closes, so that it never outlives the process that started it.
 */
public class MongoMain {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        System.out.println("ready " + port);
        System.out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        while (System.in.read() != -1) {
            // Drain until the parent goes away.
        }
        server.shutdownNow();
        System.exit(0);
    }
}
