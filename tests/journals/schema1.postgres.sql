--
-- PostgreSQL database dump
--



SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: commitment; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.commitment (
    id integer NOT NULL,
    uid character varying NOT NULL,
    person_id integer NOT NULL,
    direction character varying NOT NULL,
    text character varying NOT NULL,
    due date NOT NULL,
    status character varying NOT NULL,
    closed_at timestamp without time zone,
    why character varying,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: commitment_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.commitment_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: commitment_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.commitment_id_seq OWNED BY public.commitment.id;


--
-- Name: gesture; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.gesture (
    id integer NOT NULL,
    uid character varying NOT NULL,
    person_id integer NOT NULL,
    kind character varying NOT NULL,
    text character varying,
    at timestamp without time zone NOT NULL
);


--
-- Name: gesture_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.gesture_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: gesture_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.gesture_id_seq OWNED BY public.gesture.id;


--
-- Name: interaction; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interaction (
    id integer NOT NULL,
    uid character varying NOT NULL,
    at timestamp without time zone NOT NULL,
    channel character varying NOT NULL,
    mood integer,
    text character varying NOT NULL,
    heard character varying,
    author character varying
);


--
-- Name: interaction_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.interaction_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: interaction_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.interaction_id_seq OWNED BY public.interaction.id;


--
-- Name: interaction_person; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interaction_person (
    interaction_id integer NOT NULL,
    person_id integer NOT NULL,
    "position" integer NOT NULL,
    at timestamp without time zone NOT NULL,
    channel character varying NOT NULL
);


--
-- Name: interaction_tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.interaction_tag (
    interaction_id integer NOT NULL,
    tag character varying NOT NULL
);


--
-- Name: person; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.person (
    id integer NOT NULL,
    uid character varying NOT NULL,
    name character varying NOT NULL,
    name_key character varying NOT NULL,
    company character varying,
    email character varying,
    phone character varying,
    stage character varying NOT NULL,
    cadence_days integer,
    style character varying,
    current_state character varying,
    desired_outcome character varying,
    birthday character varying,
    snoozed_until date,
    created_at timestamp without time zone NOT NULL
);


--
-- Name: person_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.person_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: person_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.person_id_seq OWNED BY public.person.id;


--
-- Name: person_tag; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.person_tag (
    person_id integer NOT NULL,
    tag character varying NOT NULL
);


--
-- Name: problem; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.problem (
    id integer NOT NULL,
    uid character varying NOT NULL,
    person_id integer NOT NULL,
    text character varying NOT NULL,
    opened_at timestamp without time zone NOT NULL,
    resolved_at timestamp without time zone,
    note character varying
);


--
-- Name: problem_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.problem_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: problem_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.problem_id_seq OWNED BY public.problem.id;


--
-- Name: rapport_meta; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.rapport_meta (
    key character varying NOT NULL,
    value character varying NOT NULL
);


--
-- Name: stage_change; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stage_change (
    id integer NOT NULL,
    uid character varying NOT NULL,
    person_id integer NOT NULL,
    stage character varying NOT NULL,
    at timestamp without time zone NOT NULL,
    why character varying
);


--
-- Name: stage_change_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.stage_change_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: stage_change_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.stage_change_id_seq OWNED BY public.stage_change.id;


--
-- Name: commitment id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment ALTER COLUMN id SET DEFAULT nextval('public.commitment_id_seq'::regclass);


--
-- Name: gesture id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gesture ALTER COLUMN id SET DEFAULT nextval('public.gesture_id_seq'::regclass);


--
-- Name: interaction id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction ALTER COLUMN id SET DEFAULT nextval('public.interaction_id_seq'::regclass);


--
-- Name: person id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person ALTER COLUMN id SET DEFAULT nextval('public.person_id_seq'::regclass);


--
-- Name: problem id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.problem ALTER COLUMN id SET DEFAULT nextval('public.problem_id_seq'::regclass);


--
-- Name: stage_change id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stage_change ALTER COLUMN id SET DEFAULT nextval('public.stage_change_id_seq'::regclass);


--
-- Data for Name: commitment; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.commitment VALUES (1, '2426cb52-c9bb-4732-bd10-f7925aab63ad', 1, 'mine', 'send the revised quote', '2026-11-27', 'kept', '2026-11-24 09:30:00', NULL, '2026-11-24 09:30:00');
INSERT INTO public.commitment VALUES (2, '33a522bb-d8dc-419c-87c2-3333aec735e6', 2, 'mine', 'intro to the accountant', '2026-11-10', 'broken', '2026-11-24 09:30:00', 'the accountant retired', '2026-11-24 09:30:00');
INSERT INTO public.commitment VALUES (3, '538dba99-fd05-4c84-86fe-54b0113af37f', 2, 'theirs', 'signed purchase order', '2026-12-01', 'open', NULL, NULL, '2026-11-24 09:30:00');
INSERT INTO public.commitment VALUES (4, '2682b9e8-1a6a-4633-88cf-185a22de397b', 3, 'theirs', 'feedback on the brochure', '2026-11-15', 'released', '2026-11-24 09:30:00', 'they no longer need it', '2026-11-24 09:30:00');


--
-- Data for Name: gesture; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.gesture VALUES (1, 'acc9039a-3900-44aa-ab55-c134584344f3', 1, 'card', 'handwritten thank-you for the patience', '2026-11-24 09:30:00');
INSERT INTO public.gesture VALUES (2, '4fc0d0fb-3861-4c3e-bbcb-dd94863e91d1', 2, 'gift', NULL, '2026-11-24 09:30:00');


--
-- Data for Name: interaction; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.interaction VALUES (1, '1ea8295a-dd80-4f13-960f-1f006e36c882', '2026-11-20 12:00:00', 'meeting', 1, 'Walked through the tiling plan', 'the big picture first', 'tester');
INSERT INTO public.interaction VALUES (2, '0d6cc728-c34d-4209-b1bc-390968fd80ba', '2026-11-22 15:00:00', 'call', NULL, 'Quick call about the renewal', NULL, 'tester');
INSERT INTO public.interaction VALUES (3, 'd83e1258-0c8c-4087-a266-b09e991a3b6c', '2026-11-24 09:30:00', 'email', -1, 'Emailed the brochure', NULL, 'tester');


--
-- Data for Name: interaction_person; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.interaction_person VALUES (1, 1, 0, '2026-11-20 12:00:00', 'meeting');
INSERT INTO public.interaction_person VALUES (1, 2, 1, '2026-11-20 12:00:00', 'meeting');
INSERT INTO public.interaction_person VALUES (2, 2, 0, '2026-11-22 15:00:00', 'call');
INSERT INTO public.interaction_person VALUES (3, 3, 0, '2026-11-24 09:30:00', 'email');


--
-- Data for Name: interaction_tag; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.interaction_tag VALUES (1, 'plan');


--
-- Data for Name: person; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.person VALUES (1, 'c7803e0a-c2f6-4e57-bca1-07a9bcc88cfb', 'José Núñez', 'jose nunez', 'Tiles & Co', NULL, NULL, 'engaged', 14, 'detail', 'waiting on the bank', 'keys before Christmas', '--03-14', NULL, '2026-11-24 09:30:00');
INSERT INTO public.person VALUES (2, '2921762b-c72e-4dcf-bf61-9b2770d8c507', 'Ann Lee', 'ann lee', 'Acme', 'ann@example.com', '+1 555 0100', 'friend', NULL, NULL, NULL, NULL, '1980-12-01', NULL, '2026-11-24 09:30:00');
INSERT INTO public.person VALUES (3, '81594375-41e3-4fe6-99cf-7fe90c4fad5f', 'Zoë Quinn', 'zoe quinn', NULL, NULL, NULL, 'acquaintance', NULL, NULL, NULL, NULL, NULL, '2026-12-15', '2026-11-24 09:30:00');


--
-- Data for Name: person_tag; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.person_tag VALUES (1, 'vip');
INSERT INTO public.person_tag VALUES (1, 'renovation');


--
-- Data for Name: problem; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.problem VALUES (1, '2bd175d0-4aca-44ce-945a-246bf779f7f4', 1, 'wrong VIN on the loan papers', '2026-11-24 09:30:00', NULL, NULL);
INSERT INTO public.problem VALUES (2, '35a99bcb-973c-48d3-941a-2657543edaf7', 2, 'invoice sent twice', '2026-11-24 09:30:00', '2026-11-24 09:30:00', 'refunded the duplicate');


--
-- Data for Name: rapport_meta; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.rapport_meta VALUES ('schema_version', '1');


--
-- Data for Name: stage_change; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.stage_change VALUES (1, 'e72d7755-27d2-4f35-93f4-af18199d090a', 1, 'dating', '2026-11-24 09:30:00', 'added');
INSERT INTO public.stage_change VALUES (2, '7a263066-e205-4d07-bab3-b0a404b95cf5', 2, 'friend', '2026-11-24 09:30:00', 'added');
INSERT INTO public.stage_change VALUES (3, 'd56d687d-f260-4568-83d6-bab1b2a97c60', 3, 'acquaintance', '2026-11-24 09:30:00', 'added');
INSERT INTO public.stage_change VALUES (4, '1d00c0f7-d1db-4920-8f2c-e4bcc83fba39', 1, 'engaged', '2026-11-21 12:00:00', 'signed the pilot');


--
-- Name: commitment_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.commitment_id_seq', 4, true);


--
-- Name: gesture_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.gesture_id_seq', 2, true);


--
-- Name: interaction_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.interaction_id_seq', 3, true);


--
-- Name: person_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.person_id_seq', 3, true);


--
-- Name: problem_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.problem_id_seq', 2, true);


--
-- Name: stage_change_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.stage_change_id_seq', 4, true);


--
-- Name: commitment commitment_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_pkey PRIMARY KEY (id);


--
-- Name: commitment commitment_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_uid_key UNIQUE (uid);


--
-- Name: gesture gesture_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gesture
    ADD CONSTRAINT gesture_pkey PRIMARY KEY (id);


--
-- Name: gesture gesture_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gesture
    ADD CONSTRAINT gesture_uid_key UNIQUE (uid);


--
-- Name: interaction_person interaction_person_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_person
    ADD CONSTRAINT interaction_person_pkey PRIMARY KEY (interaction_id, person_id);


--
-- Name: interaction interaction_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction
    ADD CONSTRAINT interaction_pkey PRIMARY KEY (id);


--
-- Name: interaction_tag interaction_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_tag
    ADD CONSTRAINT interaction_tag_pkey PRIMARY KEY (interaction_id, tag);


--
-- Name: interaction interaction_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction
    ADD CONSTRAINT interaction_uid_key UNIQUE (uid);


--
-- Name: person person_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person
    ADD CONSTRAINT person_pkey PRIMARY KEY (id);


--
-- Name: person_tag person_tag_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person_tag
    ADD CONSTRAINT person_tag_pkey PRIMARY KEY (person_id, tag);


--
-- Name: person person_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person
    ADD CONSTRAINT person_uid_key UNIQUE (uid);


--
-- Name: problem problem_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.problem
    ADD CONSTRAINT problem_pkey PRIMARY KEY (id);


--
-- Name: problem problem_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.problem
    ADD CONSTRAINT problem_uid_key UNIQUE (uid);


--
-- Name: rapport_meta rapport_meta_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.rapport_meta
    ADD CONSTRAINT rapport_meta_pkey PRIMARY KEY (key);


--
-- Name: stage_change stage_change_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stage_change
    ADD CONSTRAINT stage_change_pkey PRIMARY KEY (id);


--
-- Name: stage_change stage_change_uid_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stage_change
    ADD CONSTRAINT stage_change_uid_key UNIQUE (uid);


--
-- Name: ix_commitment_person_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_commitment_person_id ON public.commitment USING btree (person_id);


--
-- Name: ix_commitment_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_commitment_status ON public.commitment USING btree (status);


--
-- Name: ix_gesture_person_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_gesture_person_id ON public.gesture USING btree (person_id);


--
-- Name: ix_interaction_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_interaction_at ON public.interaction USING btree (at);


--
-- Name: ix_interaction_person_person_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_interaction_person_person_at ON public.interaction_person USING btree (person_id, at);


--
-- Name: ix_person_name_key; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_person_name_key ON public.person USING btree (name_key);


--
-- Name: ix_problem_person_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_problem_person_id ON public.problem USING btree (person_id);


--
-- Name: ix_stage_change_person_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_stage_change_person_id ON public.stage_change USING btree (person_id);


--
-- Name: commitment commitment_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commitment
    ADD CONSTRAINT commitment_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- Name: gesture gesture_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.gesture
    ADD CONSTRAINT gesture_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- Name: interaction_person interaction_person_interaction_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_person
    ADD CONSTRAINT interaction_person_interaction_id_fkey FOREIGN KEY (interaction_id) REFERENCES public.interaction(id) ON DELETE CASCADE;


--
-- Name: interaction_person interaction_person_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_person
    ADD CONSTRAINT interaction_person_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- Name: interaction_tag interaction_tag_interaction_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.interaction_tag
    ADD CONSTRAINT interaction_tag_interaction_id_fkey FOREIGN KEY (interaction_id) REFERENCES public.interaction(id) ON DELETE CASCADE;


--
-- Name: person_tag person_tag_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.person_tag
    ADD CONSTRAINT person_tag_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- Name: problem problem_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.problem
    ADD CONSTRAINT problem_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- Name: stage_change stage_change_person_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stage_change
    ADD CONSTRAINT stage_change_person_id_fkey FOREIGN KEY (person_id) REFERENCES public.person(id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--


