import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/**
 * Voice notes (issue 15, "Elderly first"): a resident who cannot type records up to a minute in
 * WeChat. A voice note is a row of `photo` with an audio mime and purpose `voice` once a wish
 * takes it, so it is stored, served through signed URLs, sent to WeChat's media check (as
 * audio), swept when unused and read by exactly the people who read the wish's photos.
 * duration_ms: the length read from the file's frames at upload (null for images).
 */
export class VoiceNote1765929601000 implements MigrationInterface {
  name = 'VoiceNote1765929601000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn('photo', new TableColumn({ name: 'duration_ms', type: 'int', isNullable: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('photo', 'duration_ms');
  }
}
