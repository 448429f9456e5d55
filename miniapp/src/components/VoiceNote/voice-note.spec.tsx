import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import Taro, { __taro } from '../../../test/stubs/taro';
import { mockApi } from '../../../test/api-mock';
import { clockText, VoiceNotePlayer, VoiceNoteRecorder } from '.';

const note = { id: 'v-1', mime: 'audio/mpeg', size: 4000, url: '/api/photos/v-1/content?exp=1&sig=s', durationMs: 12_400 };

describe('VoiceNotePlayer', () => {
  it('shows the length and plays the signed URL, absolute; a second tap stops it', () => {
    render(<VoiceNotePlayer note={note} />);
    fireEvent.click(screen.getByText('▶ 播放语音 0:12'));
    expect(__taro.audios).toHaveLength(1);
    expect(__taro.audios[0].src).toBe('https://api.test/api/photos/v-1/content?exp=1&sig=s');
    expect(__taro.audios[0].play).toHaveBeenCalled();
    fireEvent.click(screen.getByText('■ 停止播放 0:12'));
    expect(__taro.audios[0].stop).toHaveBeenCalled();
    expect(clockText(60_000)).toBe('1:00');
  });

  it('says so when the sound cannot be played', () => {
    render(<VoiceNotePlayer note={note} />);
    fireEvent.click(screen.getByText('▶ 播放语音 0:12'));
    act(() => (__taro.audios[0].onError.mock.calls[0][0] as () => void)());
    expect(screen.getByRole('alert').textContent).toBe('语音播放失败，请稍后再试');
  });
});

describe('VoiceNoteRecorder', () => {
  afterEach(() => {
    process.env.TARO_ENV = 'h5';
  });

  it('in H5: says recording is in WeChat, and plays a note already recorded', () => {
    const { rerender } = render(<VoiceNoteRecorder value={null} onChange={jest.fn()} />);
    expect(screen.getByText('不方便打字？语音留言请在微信小程序中录制（最长60秒）。')).toBeTruthy();
    expect(screen.queryByText('● 开始录音')).toBeNull();
    rerender(<VoiceNoteRecorder value={note} onChange={jest.fn()} />);
    expect(screen.getByText('▶ 播放语音 0:12')).toBeTruthy();
  });

  it('in WeChat: records up to 60 s as mp3, counts the seconds, uploads on stop and hands the note over', async () => {
    process.env.TARO_ENV = 'weapp';
    jest.useFakeTimers();
    const calls = mockApi({ 'UPLOAD /voice-notes': { status: 201, body: note } });
    const onChange = jest.fn();
    render(<VoiceNoteRecorder value={null} onChange={onChange} />);
    fireEvent.click(screen.getByText('● 开始录音'));
    expect(Taro.getRecorderManager).toHaveBeenCalled();
    expect(__taro.recorder.start).toHaveBeenCalledWith(expect.objectContaining({ duration: 60_000, format: 'mp3' }));
    act(() => void jest.advanceTimersByTime(3000));
    expect(screen.getByRole('timer').textContent).toBe('正在录音 0:03 / 1:00');
    fireEvent.click(screen.getByText('■ 停止录音'));
    expect(__taro.recorder.stop).toHaveBeenCalled();
    jest.useRealTimers();
    act(() => __taro.recorder.fire('stop', { tempFilePath: 'wxfile://tmp/voice.mp3', duration: 3000 }));
    await waitFor(() => expect(onChange).toHaveBeenCalledWith(note));
    expect(calls[0]).toMatchObject({ method: 'UPLOAD', path: '/voice-notes', data: 'wxfile://tmp/voice.mp3' });
  });

  it('in WeChat: a refused recording is said in Chinese, and the microphone refusal too', async () => {
    process.env.TARO_ENV = 'weapp';
    mockApi({ 'UPLOAD /voice-notes': { status: 400, body: { code: 'VOICE_NOTE_TOO_LONG', message: 'too long' } } });
    render(<VoiceNoteRecorder value={null} onChange={jest.fn()} />);
    fireEvent.click(screen.getByText('● 开始录音'));
    act(() => __taro.recorder.fire('stop', { tempFilePath: 'wxfile://tmp/long.mp3' }));
    expect((await screen.findByRole('alert')).textContent).toBe('语音留言最长60秒，请重新录制');
    fireEvent.click(screen.getByText('● 开始录音'));
    act(() => __taro.recorder.fire('error', { errMsg: 'operateRecorder:fail auth deny' }));
    expect(screen.getByRole('alert').textContent).toBe('无法录音，请在微信设置中允许使用麦克风后再试');
  });

  it('in WeChat: a recorded note can be removed to record again', () => {
    process.env.TARO_ENV = 'weapp';
    const onChange = jest.fn();
    render(<VoiceNoteRecorder value={note} onChange={onChange} />);
    fireEvent.click(screen.getByText('删除重录'));
    expect(onChange).toHaveBeenCalledWith(null);
  });
});
