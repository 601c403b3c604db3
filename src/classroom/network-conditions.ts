/** Network conditions with one non-neutral value: CDP emulation only affects WebRTC when it was
 * already armed before the peer connection was created, so every page starts with this. */
export const ARMED_NETWORK = { offline: false, latency: 1, downloadThroughput: -1, uploadThroughput: -1 };
