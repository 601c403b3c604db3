/**
 * The part of agora-rtc-sdk-ng's surface the Agora classroom uses. The page is written against
 * this, so the SDK's test double (test/doubles/agora-rtc-double.ts) can stand in for it.
 */
export interface AgoraTrack {
  play(element: HTMLElement | string): void;
  getMediaStreamTrack(): MediaStreamTrack;
  on?(event: string, listener: (...args: unknown[]) => void): void;
}

export interface AgoraRemoteUser {
  uid: number | string;
  videoTrack?: AgoraTrack;
  audioTrack?: AgoraTrack;
}

export interface AgoraClient {
  on(event: string, listener: (...args: never[]) => void): void;
  join(appId: string, channel: string, token: string | null, uid: number | null): Promise<number | string>;
  setClientRole?(role: 'host' | 'audience'): Promise<void>;
  publish(tracks: AgoraTrack[]): Promise<void>;
  subscribe(user: AgoraRemoteUser, mediaType: 'audio' | 'video'): Promise<AgoraTrack>;
  getRemoteVideoStats(): Record<string, Record<string, number>>;
  getLocalVideoStats(): Record<string, number>;
  getRTCStats(): Record<string, number>;
  leave(): Promise<void>;
}

export interface AgoraSdk {
  VERSION: string;
  createClient(config: { mode: 'rtc' | 'live'; codec: string }): AgoraClient;
  createCameraVideoTrack(config?: { encoderConfig?: { width: number; height: number; frameRate: number } }): Promise<AgoraTrack>;
  createMicrophoneAudioTrack(): Promise<AgoraTrack>;
  setLogLevel?(level: number): void;
  disableLogUpload?(): void;
}
