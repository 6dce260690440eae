// ELK's own worker script: loaded in a worker it answers the layout requests of elk-api (elk-layout.ts).
import "elkjs/lib/elk-worker.min.js";
