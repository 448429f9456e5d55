import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { useEffect, useRef, useState } from 'react';
import { VOICE_NOTE_MAX_SECONDS, type VoiceNoteView } from '@xinyuan/shared';
import { photosApi } from '../../services/photos';
import { assetUrl, errorText } from '../../services/request';
import { isWeapp } from '../../utils/platform';
import Button from '../Button';
import './index.scss';

/** "0:42": a voice note's length as people read it. */
export function clockText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const Alert = ({ text }: { text: string }) => (
  <View className="xy-error-text" role="alert">
    {text}
  </View>
);

/** Plays a wish's voice note (WeChat's inner audio; in H5 the same API drives an audio element). */
export function VoiceNotePlayer({ note }: { note: VoiceNoteView }) {
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState(false);
  const ctx = useRef<ReturnType<typeof Taro.createInnerAudioContext> | null>(null);
  useEffect(
    () => () => {
      ctx.current?.destroy();
      ctx.current = null;
    },
    [],
  );
  const toggle = () => {
    if (playing) {
      ctx.current?.stop();
      setPlaying(false);
      return;
    }
    if (!ctx.current) {
      const a = Taro.createInnerAudioContext();
      a.src = assetUrl(note.url);
      a.onEnded(() => setPlaying(false));
      a.onError(() => {
        setPlaying(false);
        setFailed(true);
      });
      ctx.current = a;
    }
    setFailed(false);
    ctx.current.play();
    setPlaying(true);
  };
  return (
    <View className="xy-voice">
      <Button kind="secondary" className="xy-voice__play" onClick={toggle}>
        {playing ? `■ 停止播放 ${clockText(note.durationMs)}` : `▶ 播放语音 ${clockText(note.durationMs)}`}
      </Button>
      {failed ? <Alert text="语音播放失败，请稍后再试" /> : null}
    </View>
  );
}

type Phase = 'idle' | 'recording' | 'uploading';

export interface VoiceNoteRecorderProps {
  value: VoiceNoteView | null;
  onChange: (note: VoiceNoteView | null) => void;
}

/**
 * A voice note for a wish, for residents who cannot type: recorded in WeChat (up to
 * VOICE_NOTE_MAX_SECONDS, mp3), uploaded at once, played back, removed to record again.
 * H5 has no recorder WeChat's server-side checks accept: there it says so, and plays.
 */
export function VoiceNoteRecorder({ value, onChange }: VoiceNoteRecorderProps) {
  const [phase, setPhase] = useState<Phase>('idle');
  const [seconds, setSeconds] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const recorder = useRef<ReturnType<typeof Taro.getRecorderManager> | null>(null);
  const change = useRef(onChange);
  change.current = onChange;
  const stopTicking = () => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  };
  useEffect(() => stopTicking, []);

  if (!isWeapp()) {
    return (
      <View className="xy-field xy-voice">
        <View className="xy-field__label">语音留言</View>
        {value ? <VoiceNotePlayer note={value} /> : null}
        <View className="xy-muted xy-voice__hint">不方便打字？语音留言请在微信小程序中录制（最长{VOICE_NOTE_MAX_SECONDS}秒）。</View>
      </View>
    );
  }

  const manager = () => {
    if (recorder.current) return recorder.current;
    const r = Taro.getRecorderManager();
    r.onStop((res: { tempFilePath: string }) => {
      stopTicking();
      setPhase('uploading');
      photosApi.uploadVoice(res.tempFilePath).then(
        (note) => {
          setPhase('idle');
          change.current(note);
        },
        (e: unknown) => {
          setPhase('idle');
          setError(errorText(e));
        },
      );
    });
    r.onError(() => {
      stopTicking();
      setPhase('idle');
      setError('无法录音，请在微信设置中允许使用麦克风后再试');
    });
    recorder.current = r;
    return r;
  };
  const start = () => {
    setError(null);
    setSeconds(0);
    manager().start({ duration: VOICE_NOTE_MAX_SECONDS * 1000, format: 'mp3', sampleRate: 16000, numberOfChannels: 1, encodeBitRate: 48000 });
    setPhase('recording');
    timer.current = setInterval(() => setSeconds((s) => Math.min(VOICE_NOTE_MAX_SECONDS, s + 1)), 1000);
  };
  const stop = () => manager().stop();

  return (
    <View className="xy-field xy-voice">
      <View className="xy-field__label">语音留言（可选）</View>
      <View className="xy-muted xy-voice__hint">不方便打字，可以说给我们听，最长{VOICE_NOTE_MAX_SECONDS}秒</View>
      {value && phase === 'idle' ? (
        <View className="xy-voice__row">
          <VoiceNotePlayer note={value} />
          <Button kind="plain" small onClick={() => onChange(null)}>
            删除重录
          </Button>
        </View>
      ) : phase === 'recording' ? (
        <View className="xy-voice__row">
          <View className="xy-voice__clock" role="timer">
            正在录音 {clockText(seconds * 1000)} / {clockText(VOICE_NOTE_MAX_SECONDS * 1000)}
          </View>
          <Button kind="danger" onClick={stop}>
            ■ 停止录音
          </Button>
        </View>
      ) : (
        <Button kind="secondary" loading={phase === 'uploading'} onClick={start}>
          {phase === 'uploading' ? '语音上传中…' : '● 开始录音'}
        </Button>
      )}
      {error ? <Alert text={error} /> : null}
    </View>
  );
}
