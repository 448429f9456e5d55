import { Injectable } from '@nestjs/common';

@Injectable()
export class DemoSeeder {
  async seed(): Promise<void> {}
}
