import net from 'node:net';
const orig = net.Socket.prototype.connect;
let done = false;
net.Socket.prototype.connect = function (...a) { if (!done) { done = true; process.stderr.write(`CONNECT_AT ${performance.now().toFixed(0)}\n`); } return orig.apply(this, a); };
