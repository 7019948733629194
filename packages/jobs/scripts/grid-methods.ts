// The setup module of the speed-up script's workers: registers the demo's methods in each job process.
import '@unlearn/jit';
import '@unlearn/ssd';
import '@unlearn/lf-ssd';
import '@unlearn/retrain';
