import { Type } from 'class-transformer';
import { IsIn, IsNotEmpty, IsObject, IsOptional, IsString, Matches, ValidateIf, ValidateNested } from 'class-validator';
import type { SendSimulation, SimulatedOutcome } from '../../emulator/simulation.interface.js';
import { IsTemplateParam } from './is-template-param.decorator.js';

const OUTCOMES: SimulatedOutcome[] = ['delivered', 'failed', 'report-lost', 'random'];
const NOT_BLANK = /\S/;
const PHONE_NUMBER = { message: 'is required: a mobile number such as "13800138000" or "+85291234567"' };
const OPTIONAL_TEXT = { message: 'must be a non-empty string when given' };
const REPLY = { message: 'must be the reply text, or false for no reply' };
const SIMULATION = { message: 'must be an object such as {"outcome":"failed","reply":"TD"}' };

/** The optional `simulate` part of `POST /sms`; honoured on the emulator only. */
export class SendSimulationDto implements SendSimulation {
  @IsOptional()
  @IsIn(OUTCOMES, { message: `must be one of ${OUTCOMES.join(', ')}` })
  outcome?: SimulatedOutcome;

  @ValidateIf((simulation: SendSimulationDto) => simulation.reply !== undefined && simulation.reply !== false)
  @IsString(REPLY)
  @IsNotEmpty(REPLY)
  reply?: string | false;
}

/** The JSON body of `POST /sms`. */
export class SendSmsDto {
  /** One recipient (the library validates the number itself: `+86`, `0086`, international...). */
  @IsString(PHONE_NUMBER)
  @Matches(NOT_BLANK, PHONE_NUMBER)
  phoneNumber!: string;

  /** Template variables, e.g. `{ "code": "123456" }`. */
  @IsOptional()
  @IsTemplateParam()
  templateParam?: Record<string, string | number>;

  /** Your correlation id; generated when absent (the emulator scenario keys on it). */
  @IsOptional()
  @IsString(OPTIONAL_TEXT)
  @Matches(NOT_BLANK, OPTIONAL_TEXT)
  outId?: string;

  /** @default ALICOM_SIGN_NAME (or the emulator's demo signature) */
  @IsOptional()
  @IsString(OPTIONAL_TEXT)
  @Matches(NOT_BLANK, OPTIONAL_TEXT)
  signName?: string;

  /** @default ALICOM_TEMPLATE_CODE (or the emulator's demo template) */
  @IsOptional()
  @IsString(OPTIONAL_TEXT)
  @Matches(NOT_BLANK, OPTIONAL_TEXT)
  templateCode?: string;

  /** Emulator only: force an outcome or a reply. */
  @IsOptional()
  @IsObject(SIMULATION)
  @ValidateNested(SIMULATION)
  @Type(() => SendSimulationDto)
  simulate?: SendSimulationDto;
}
